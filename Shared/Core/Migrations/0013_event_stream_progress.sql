-- How far webhook-service has consumed the hub:events stream: the instant before which every
-- entry was received and acknowledged (RedisStreamQueue.consumedThrough), written by the consumer
-- as it goes. The outbox prune keeps every relayed row newer than it, so an outage of
-- webhook-service longer than the retention followed by a loss of Redis still loses no event:
-- the rows it never read are still there to be sent again.
CREATE TABLE IF NOT EXISTS event_stream_progress (
    stream text PRIMARY KEY,
    consumed_through timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
