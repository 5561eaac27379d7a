-- A session whose upstream history is not the stored one (the upstream rejected its cursor and the re-read listed
-- other events) stops in state diverged, with the first differing id in its last error; nothing more is stored.
alter table tracked_session drop constraint tracked_session_state_check;
alter table tracked_session add constraint tracked_session_state_check
    check (state in ('active', 'completed', 'diverged', 'failing', 'not_found', 'unauthorized'));
