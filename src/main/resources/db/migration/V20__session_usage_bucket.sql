-- Each session's usage counters per 15-minute bucket of its usage rows' completed_at, added to in the page
-- transaction beside usage_rollup: what cost is priced from when a report is read (prices start on a quarter hour,
-- so a bucket lies wholly in one price period), and what reports grouped by time or by a session's attribution add
-- up without reading usage rows.
create table session_usage_bucket (
    session_id                  text        not null,
    bucket                      timestamptz not null,
    input_tokens                bigint      not null,
    output_tokens               bigint      not null,
    cache_read_input_tokens     bigint      not null,
    cache_creation_input_tokens bigint      not null,
    credits                     numeric     not null,
    model_requests              bigint      not null,
    turns                       bigint      not null,
    primary key (session_id, bucket)
);

create index session_usage_bucket_time_idx on session_usage_bucket (bucket);

insert into session_usage_bucket
select session_id, date_bin('15 minutes', completed_at, timestamptz '2000-01-01 00:00:00+00'), sum(input_tokens),
       sum(output_tokens), sum(cache_read_input_tokens), sum(cache_creation_input_tokens), sum(credits),
       sum(model_requests), count(*) filter (where counts_turn)
from turn_usage
group by 1, 2;
