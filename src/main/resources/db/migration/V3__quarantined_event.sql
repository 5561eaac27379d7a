-- Upstream elements that cannot be stored as events (no id, no type, not an object, an id taken by another
-- session, text jsonb cannot hold), kept with their raw JSON text and the reason. The fingerprint keeps a
-- re-read from counting one twice.
create table quarantined_event (
    id          bigserial   primary key,
    session_id  text        not null,
    event_id    text,
    reason      text        not null,
    raw         text        not null,
    fingerprint text        not null,
    received_at timestamptz not null default now(),
    constraint quarantined_event_fingerprint_key unique (session_id, reason, fingerprint)
);
