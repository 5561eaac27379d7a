-- The live tail's question "is this session running?" reads each session's last status event; this partial index
-- answers it with one index probe per session instead of a backward scan over its events.
create index event_status_idx on event (session_id, sequence)
    where type in ('session.status_running', 'session.status_idle', 'terminated', 'session.status_terminated',
                   'session.deleted');
