-- The queue of record, shared by every instance. Times are epoch milliseconds (UTC).
CREATE TABLE jobs (
    id               TEXT    NOT NULL PRIMARY KEY,  -- UUIDv7 text: time-ordered
    type             TEXT    NOT NULL,
    params           TEXT    NOT NULL,              -- canonical JSON
    status           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    submitted_at     BIGINT  NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    result           TEXT,
    error            TEXT,
    idempotency_key  TEXT,
    request_hash     TEXT,                          -- type + canonical params, to compare repeats of a key
    instance         TEXT,                          -- instance that last started it
    owner            TEXT,                          -- the run holding it while RUNNING (fences outcome writes)
    lease_until      BIGINT,                        -- the owner renews it; past it, another instance takes over
    cancel_requested INTEGER NOT NULL DEFAULT 0
);

-- Unique across the fleet; only jobs with a key are in it.
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- Claims (oldest QUEUED first), counts per status and list pages by status (newest first).
CREATE INDEX jobs_status_id ON jobs (status, id);
-- Takeover of RUNNING jobs whose lease ran out.
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE status = 'RUNNING';
-- Retention purge of finished jobs.
CREATE INDEX jobs_finished_at ON jobs (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE shutdown_reports (
    instance     TEXT    NOT NULL,
    started_at   BIGINT  NOT NULL,
    report       TEXT    NOT NULL,                  -- JSON, as /lifecycle shows it
    PRIMARY KEY (instance, started_at)
);
CREATE INDEX shutdown_reports_started_at ON shutdown_reports (started_at);
