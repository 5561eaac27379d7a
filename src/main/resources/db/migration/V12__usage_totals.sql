-- Counters kept per turn and per session, added to in the page transaction, so one session's report reads its turns
-- and session and model reports read one row per session instead of grouping usage rows (the rows only of sessions
-- that a time range cuts: first_completed_at and last_completed_at say which). position is the sequence of the
-- turn's last usage row (the report's order); a turn without usage rows has none and is not reported.
alter table turn
    add column input_tokens                bigint  not null default 0,
    add column output_tokens               bigint  not null default 0,
    add column cache_read_input_tokens     bigint  not null default 0,
    add column cache_creation_input_tokens bigint  not null default 0,
    add column credits                     numeric not null default 0,
    add column model_requests              bigint  not null default 0,
    add column pauses                      bigint  not null default 0,
    add column completions                 bigint  not null default 0,
    add column position                    bigint;

update turn t
set input_tokens = u.input_tokens, output_tokens = u.output_tokens,
    cache_read_input_tokens = u.cache_read_input_tokens, cache_creation_input_tokens = u.cache_creation_input_tokens,
    credits = u.credits, model_requests = u.model_requests, pauses = u.pauses, completions = u.completions,
    position = u.position
from (select session_id, turn_id, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
             sum(cache_read_input_tokens) as cache_read_input_tokens,
             sum(cache_creation_input_tokens) as cache_creation_input_tokens, sum(credits) as credits,
             sum(model_requests) as model_requests, sum(pauses) as pauses,
             count(*) filter (where counts_turn) as completions, max(sequence) as position
      from turn_usage
      where turn_id is not null
      group by session_id, turn_id) u
where t.session_id = u.session_id and t.turn_id = u.turn_id;

create index turn_position_idx on turn (session_id, position) where position is not null;

create table session_usage (
    session_id                  text    primary key,
    input_tokens                bigint  not null,
    output_tokens               bigint  not null,
    cache_read_input_tokens     bigint  not null,
    cache_creation_input_tokens bigint  not null,
    credits                     numeric not null,
    model_requests              bigint  not null,
    turns                       bigint  not null,
    first_completed_at          timestamptz not null,
    last_completed_at           timestamptz not null
);

insert into session_usage
select session_id, sum(input_tokens), sum(output_tokens), sum(cache_read_input_tokens),
       sum(cache_creation_input_tokens), sum(credits), sum(model_requests), count(*) filter (where counts_turn),
       min(completed_at), max(completed_at)
from turn_usage
group by session_id;

-- A failed snapshot read is tried again one snapshot interval later, not on every poll.
alter table session_snapshot add column read_tried_at timestamptz;
