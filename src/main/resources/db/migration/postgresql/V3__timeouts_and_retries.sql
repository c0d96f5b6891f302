-- Per-job timeouts and retries with backoff (contract: timeoutMs, retries, failures).
ALTER TABLE jobs ADD COLUMN timeout_ms BIGINT;                      -- a run longer than this fails; null: the type's default
ALTER TABLE jobs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;  -- failed runs tried again, at most
ALTER TABLE jobs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0; -- runs that failed so far
