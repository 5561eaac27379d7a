-- Each usage row knows its event's position, so per-session reports need no join with event, and whether it is
-- the first idle event of its turn, so reports count turns with count(*) instead of count(distinct ...).
alter table turn_usage add column sequence bigint, add column counts_turn boolean not null default true;

update turn_usage u set sequence = e.sequence from event e where e.id = u.event_id;

update turn_usage u set counts_turn = false
from (select event_id, row_number() over (partition by session_id, turn_id order by sequence) as n
      from turn_usage where turn_id is not null) later
where later.event_id = u.event_id and later.n > 1;

alter table turn_usage alter column sequence set not null;

create index turn_usage_session_sequence_idx on turn_usage (session_id, sequence);
