-- Token usage of each session.status_idle event, written in the same transaction as the event.
create table turn_usage (
    event_id                    text        primary key references event (id),
    session_id                  text        not null,
    turn_id                     text,
    completed_at                timestamptz not null,
    input_tokens                bigint      not null,
    output_tokens               bigint      not null,
    cache_read_input_tokens     bigint      not null,
    cache_creation_input_tokens bigint      not null,
    stop_reason                 text
);

create index turn_usage_session_idx on turn_usage (session_id, completed_at);
create index turn_usage_time_idx on turn_usage (completed_at);
