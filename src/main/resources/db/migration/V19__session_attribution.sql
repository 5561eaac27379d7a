-- Who a session's usage belongs to, as its latest snapshot (GET /sessions/{id} or a listing's element) says:
-- overwritten on each read, so a session's whole usage follows its latest attribution. metadata is the session's
-- free key-value object (team, project, cost centre); reports compare its values as text.
alter table session_snapshot
    add column agent_id       text,
    add column agent_name     text,
    add column agent_version  text,
    add column environment_id text,
    add column metadata       jsonb;

create index session_snapshot_agent_idx on session_snapshot (agent_id);
create index session_snapshot_environment_idx on session_snapshot (environment_id);
create index session_snapshot_metadata_idx on session_snapshot using gin (metadata jsonb_path_ops);
