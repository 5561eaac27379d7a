-- Each session.error event flattened, written in the same transaction as the event.
create table session_error (
    event_id        text        primary key references event (id),
    session_id      text        not null,
    turn_id         text,
    created_at      timestamptz not null,
    error_type      text        not null,
    message         text,
    message_pattern text        not null,
    details_name    text,
    details_message text,
    retry_status    text        not null
);

create index session_error_time_idx on session_error (created_at);
create index session_error_session_idx on session_error (session_id, created_at);
