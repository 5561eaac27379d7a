-- The adaptive schedule: when the session last did something, what the upstream said of it when it was last polled,
-- and whether a sweep saw it change since.
alter table tracked_session add column active_at timestamptz;
alter table tracked_session add column polled_status text;
alter table tracked_session add column polled_updated_at timestamptz;
alter table tracked_session add column changed boolean not null default false;

update tracked_session set active_at = coalesce(last_success_at, tracked_at);

drop index tracked_session_due_idx;
create index tracked_session_due_idx on tracked_session (next_poll_at)
    where state in ('active', 'failing', 'unauthorized') or sync_requested or changed;

-- One row per periodic job that one replica at a time runs (the sweep of the session list), held by an expiring lease.
create table job_lease (
    name        text        primary key,
    owner       text        not null,
    lease_until timestamptz not null,
    full_at     timestamptz
);
