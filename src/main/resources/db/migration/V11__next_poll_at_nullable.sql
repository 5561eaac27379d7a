-- A session that will not be polled (completed, not found) has no next poll time instead of a far-future sentinel.
alter table tracked_session alter column next_poll_at drop not null;

update tracked_session set next_poll_at = null where state in ('completed', 'not_found');
