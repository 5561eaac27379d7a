-- Today's upstream (since about August 2026): turns without turn ids, credits on model spans, thread events, events
-- without timestamps. The event keeps its thread; usage rows also hold credits, model calls and pauses; a turn's
-- own record holds what a turn needs beyond its counters; a session's turn state carries over between pages.
alter table event add column session_thread_id text;

create index event_thread_idx on event (session_thread_id, event_time) where session_thread_id is not null;

-- created_at and processed_at were written and never read: the API returns the payload's own strings.
alter table event drop column created_at, drop column processed_at;

-- A usage row is now any event that adds to usage: an idle (tokens, a pause, the end of a turn), a model span
-- (credits, a model call, maybe tokens) or a terminal event that ends a turn. span_tokens marks a span row whose
-- tokens count because its turn's idle events carry no usage; they are zeroed when one does.
alter table turn_usage
    add column credits        numeric not null default 0,
    add column model_requests integer not null default 0,
    add column pauses         integer not null default 0,
    add column span_tokens    boolean not null default false;

create index turn_usage_session_turn_idx on turn_usage (session_id, turn_id);

alter table usage_rollup
    add column credits        numeric not null default 0,
    add column model_requests bigint  not null default 0;

-- One row per turn with an id (the upstream turn_id, or the id of the user.message that opened it).
create table turn (
    session_id      text        not null,
    turn_id         text        not null,
    opened_sequence bigint      not null,
    started_at      timestamptz not null,
    completed_at    timestamptz,
    stop_reason     text,
    idle_usage      boolean     not null default false,
    span_tokens     boolean     not null default false,
    primary key (session_id, turn_id)
);

-- Where a session's turns stand after its last stored event: the open turn, the first of the trailing
-- session.status_running events that wait for the user.message they belong to, and the last event time (the time of
-- events that carry none).
create table session_turn_state (
    session_id      text primary key,
    open_turn_id    text,
    pending_from    bigint,
    last_event_time timestamptz
);

-- What the upstream last said about the session itself (GET /sessions/{id}): overwritten, never added up.
-- events_stored_at is when this service last stored events of the session, so a snapshot older than that is due.
create table session_snapshot (
    session_id       text primary key,
    status           text,
    title            text,
    model            text,
    total_credits    numeric,
    active_seconds   bigint,
    updated_at       timestamptz,
    read_at          timestamptz,
    events_stored_at timestamptz
);
