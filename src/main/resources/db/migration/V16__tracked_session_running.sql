-- Whether a session is running as its stored events say: its last primary-thread status event is a
-- session.status_running (true), a session.status_idle or a terminal event (false), or it has none yet (null: the
-- snapshot's status decides).
-- Kept by each page's cursor advance, so that the live tail finds running sessions in a partial index instead of
-- probing every session's last status event on every tick.
alter table tracked_session add column running boolean;

update tracked_session t
set running = (select e.type = 'session.status_running' from event e
               where e.session_id = t.session_id and e.session_thread_id is null
                 and e.type in ('session.status_running', 'session.status_idle', 'terminated',
                                'session.status_terminated', 'session.deleted')
               order by e.sequence desc limit 1);

create index tracked_session_running_idx on tracked_session (newest_event_at desc) where running;
create index tracked_session_running_unknown_idx on tracked_session (session_id) where running is null;

-- nothing reads the last status event from the events any more
drop index event_status_idx;
