create table tracked_session (
    session_id             text        primary key,
    state                  text        not null default 'active'
        check (state in ('active', 'completed', 'failing', 'not_found', 'unauthorized')),
    tracked_at             timestamptz not null default now(),
    cursor                 text,
    event_count            bigint      not null default 0,
    quarantined_count      bigint      not null default 0,
    last_polled_at         timestamptz,
    last_success_at        timestamptz,
    next_poll_at           timestamptz not null default now(),
    sync_requested         boolean     not null default false,
    consecutive_failures   integer     not null default 0,
    last_error_at          timestamptz,
    last_error_http_status integer,
    last_error_type        text,
    last_error_message     text,
    last_error_request_id  text,
    newest_event_at        timestamptz,
    lease_owner            text,
    lease_until            timestamptz
);

-- the poller's claim query: due sessions first
create index tracked_session_due_idx on tracked_session (next_poll_at)
    where state in ('active', 'failing', 'unauthorized') or sync_requested;
