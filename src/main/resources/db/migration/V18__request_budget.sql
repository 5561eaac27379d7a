-- The request budget of an upstream token, shared by every instance on this database: a GCRA row. Each
-- reservation moves theoretical_arrival on by the slots it takes (n / max-requests-per-second), so the slots
-- of all instances together never come faster than the cap; paused_until holds a 429 Retry-After for all of
-- them. Both are the database's time: the one clock every instance reads alike. token_key is the hex SHA-256
-- of the token, never the token.
create table request_budget (
    token_key           text        primary key,
    theoretical_arrival timestamptz not null default 'epoch',
    paused_until        timestamptz not null default 'epoch'
);
