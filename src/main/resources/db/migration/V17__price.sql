-- Effective-dated prices: each is in effect from valid_from until the next price of its kind (and model). Cost is
-- derived when usage is read, so a price added for the past reprices every later report with no backfill. A credit
-- price has no model; a tokens price is per million tokens of one model. valid_from falls on a UTC quarter hour, so
-- every 15-minute usage bucket lies wholly in one price period.
create table price (
    id             bigint      generated always as identity primary key,
    kind           text        not null check (kind in ('credit', 'tokens')),
    model          text,
    valid_from     timestamptz not null
        check (valid_from = date_bin('15 minutes', valid_from, timestamptz '2000-01-01 00:00:00+00')),
    price          numeric     check (price >= 0),
    input          numeric     check (input >= 0),
    output         numeric     check (output >= 0),
    cache_read     numeric     check (cache_read >= 0),
    cache_creation numeric     check (cache_creation >= 0),
    source         text        not null check (source in ('settings', 'api')),
    created_at     timestamptz not null,
    check ((kind = 'credit' and model is null and price is not null and input is null and output is null
            and cache_read is null and cache_creation is null)
        or (kind = 'tokens' and model is not null and price is null and input is not null and output is not null
            and cache_read is not null and cache_creation is not null))
);

create unique index price_key on price (kind, coalesce(model, ''), valid_from);

-- Each price with the end of its period (excluded; null while it is the latest): a report joins
-- bucket >= valid_from and (valid_until is null or bucket < valid_until).
create view price_period as
select id, kind, model, valid_from,
       lead(valid_from) over (partition by kind, model order by valid_from) as valid_until,
       price, input, output, cache_read, cache_creation, source
from price;
