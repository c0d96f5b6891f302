-- A retry by hand (POST /jobs/{id}/retry, POST /jobs/retry) gives a job a fresh set of retries and a fresh
-- poison count while its attempts and failures stay as they were: it keeps what they were at that moment,
-- and the counts that decide are taken from there (failures - retried_failures against retries, and
-- (attempts - retried_attempts) - (failures - retried_failures) against max-attempts).
ALTER TABLE jobs ADD COLUMN retried_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN retried_failures INTEGER NOT NULL DEFAULT 0;
