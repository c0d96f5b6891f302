-- Paused schedules, for the whole fleet and across restarts (contract: POST /schedules/{name}/pause, /resume).
-- A row means paused; resume deletes it. Names of schedules no longer configured are left alone: configure
-- the schedule again and it is still paused.
CREATE TABLE schedule_pauses (
    name       TEXT    PRIMARY KEY,                 -- the schedule's configured name
    paused_at  BIGINT  NOT NULL                 -- epoch millis
);
