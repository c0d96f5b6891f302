-- Jobs that run later (runAt/delayMs: SCHEDULED until due) and by priority (1..9, higher first).
ALTER TABLE jobs ADD COLUMN run_at INTEGER;            -- not before this time (epoch ms); null: at once
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 5;

-- Partial indexes: a job is in one only while in its status, so the other moves of a job never touch them.
-- The queries that use them name the status as a literal (and lead with it, so SQLite's planner sees them).
-- Claims: due jobs by priority, then age.
CREATE INDEX jobs_claim_order ON jobs (status, priority DESC, id) WHERE status = 'QUEUED';
-- Promotion of SCHEDULED jobs that are due: a probe of this index costs the claim path next to nothing,
-- however many jobs wait for later.
CREATE INDEX jobs_due ON jobs (status, run_at) WHERE status = 'SCHEDULED';
