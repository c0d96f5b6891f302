package dev.quiesce.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobSubmitter.Accepted;
import dev.quiesce.jobs.JobSubmitter.KeyConflict;
import dev.quiesce.jobs.JobSubmitter.Refused;
import dev.quiesce.jobs.JobSubmitter.SubmitOutcome;
import dev.quiesce.scheduler.ScheduleStatus;
import dev.quiesce.scheduler.Scheduler;

/** The schedules of the contract; its OpenAPI description is on {@link ScheduleApi}. */
@RestController
final class ScheduleController implements ScheduleApi {

    private final Scheduler scheduler;
    private final JobViewWriter views;

    ScheduleController(Scheduler scheduler, JobViewWriter views) {
        this.scheduler = scheduler;
        this.views = views;
    }

    @GetMapping("/schedules")
    @Override
    public Map<String, List<ScheduleStatus>> schedules() {
        return Map.of("schedules", scheduler.statuses());
    }

    @PostMapping("/schedules/{name}/pause")
    @Override
    public ResponseEntity<?> pause(@PathVariable String name) {
        return answer(name, scheduler.pause(name));
    }

    @PostMapping("/schedules/{name}/resume")
    @Override
    public ResponseEntity<?> resume(@PathVariable String name) {
        return answer(name, scheduler.resume(name));
    }

    @PostMapping("/schedules/{name}/trigger")
    @Override
    public ResponseEntity<?> trigger(@PathVariable String name) {
        Optional<SubmitOutcome> triggered = scheduler.trigger(name);
        if (triggered.isEmpty()) {
            return notFound(name);
        }
        SubmitOutcome outcome = triggered.get();
        if (outcome instanceof Accepted accepted) {
            Job job = accepted.job();
            // Not created: another instance triggered the schedule in the same millisecond; this is its job.
            return views.body(ResponseEntity.status(accepted.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                    .location(URI.create("/jobs/" + job.id())), job);
        }
        if (outcome instanceof KeyConflict conflict) {
            return Problems.response(HttpStatus.CONFLICT, "Trigger conflict", "another instance triggered schedule '"
                    + name + "' in the same millisecond with other params: job " + conflict.existing().id());
        }
        return Problems.refused(((Refused) outcome).reason());
    }

    private static ResponseEntity<?> answer(String name, Optional<ScheduleStatus> status) {
        return status.<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> notFound(name));
    }

    private static ResponseEntity<?> notFound(String name) {
        return Problems.response(HttpStatus.NOT_FOUND, "Schedule not found",
                "no schedule named '" + Problems.printable(name) + "'");
    }
}
