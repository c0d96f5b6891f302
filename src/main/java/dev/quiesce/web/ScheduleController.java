package dev.quiesce.web;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.quiesce.scheduler.ScheduleStatus;
import dev.quiesce.scheduler.Scheduler;

/** {@code GET /schedules}. */
@RestController
final class ScheduleController {

    private final Scheduler scheduler;

    ScheduleController(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @GetMapping("/schedules")
    Map<String, List<ScheduleStatus>> schedules() {
        return Map.of("schedules", scheduler.statuses());
    }
}
