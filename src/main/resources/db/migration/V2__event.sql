-- One row per upstream event, keyed by the upstream id (the idempotency key).
-- sequence is the 1-based position in the session in upstream list order; event_time orders across sessions.
create table event (
    id           text        primary key,
    session_id   text        not null,
    sequence     bigint      not null,
    type         text        not null,
    turn_id      text,
    created_at   timestamptz,
    processed_at timestamptz,
    event_time   timestamptz not null,
    ingested_at  timestamptz not null default now(),
    payload      jsonb       not null,
    constraint event_session_sequence_key unique (session_id, sequence)
);

create index event_time_idx on event (event_time, session_id, sequence);
create index event_type_time_idx on event (type, event_time, session_id, sequence);
create index event_turn_idx on event (turn_id) where turn_id is not null;
