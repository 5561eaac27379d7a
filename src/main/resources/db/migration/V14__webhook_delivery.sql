-- The upstream webhooks already handled, by their Webhook-ID (stable across retries), so that a repeated delivery
-- changes nothing; rows older than qoder.webhooks.id-retention are deleted.
create table webhook_delivery (
    webhook_id  text        primary key,
    event_type  text,
    received_at timestamptz not null
);

create index webhook_delivery_received_at_idx on webhook_delivery (received_at);
