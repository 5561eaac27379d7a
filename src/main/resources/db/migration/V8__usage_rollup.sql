-- Token usage of all sessions in 15-minute UTC buckets, kept up to date in the page transaction. Every time zone
-- offset in use is a whole number of quarter hours, so day and hour reports in any zone add up whole buckets.
create table usage_rollup (
    bucket                      timestamptz primary key,
    input_tokens                bigint not null,
    output_tokens               bigint not null,
    cache_read_input_tokens     bigint not null,
    cache_creation_input_tokens bigint not null,
    turns                       bigint not null
);

insert into usage_rollup
select date_bin('15 minutes', completed_at, timestamptz '2000-01-01 00:00:00+00'), sum(input_tokens),
       sum(output_tokens), sum(cache_read_input_tokens), sum(cache_creation_input_tokens),
       count(*) filter (where counts_turn)
from turn_usage
group by 1;
