-- The fleet's heartbeats (contract: GET /instances): one row per instance id, written on its beat.
-- Times are epoch milliseconds (UTC), on the writing instance's clock.
CREATE TABLE instances (
    id            TEXT    NOT NULL PRIMARY KEY,
    state         TEXT    NOT NULL,                -- STARTING, RUNNING, DRAINING or STOPPED
    started_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,                -- its last heartbeat
    running       INTEGER NOT NULL,                -- jobs it held RUNNING then
    version       TEXT                             -- build version; null when the build has no build-info
);
-- The listing (seen since) and the forgetting (silent since).
CREATE INDEX instances_last_seen_at ON instances (last_seen_at);
