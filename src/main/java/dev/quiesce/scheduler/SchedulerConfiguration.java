package dev.quiesce.scheduler;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.InvalidConfigurationException;
import dev.quiesce.config.QuiesceProperties;
import dev.quiesce.jobs.JobSubmitter;
import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.SchedulePauses;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class SchedulerConfiguration {

    @Bean
    Scheduler scheduler(QuiesceProperties properties, JobTypes types, JobSubmitter submitter, JobStore store,
            SchedulePauses pauses, Clock clock, JsonMapper json) {
        Scheduler scheduler = new Scheduler(schedules(properties.schedules(), types, json), submitter, store, pauses,
                clock, properties.jobs().retention(), json);
        // Before the web server answers GET /schedules: a schedule paused before this start shows paused from
        // the first answer. A store that does not answer now costs one timeout; the first tick reads again.
        if (!properties.schedules().isEmpty()) {
            scheduler.refreshPauses();
        }
        return scheduler;
    }

    @Bean
    SchedulerStopLifecycle schedulerStopLifecycle(Scheduler scheduler, ShutdownCoordinator coordinator) {
        return new SchedulerStopLifecycle(scheduler, coordinator);
    }

    /** Checks each schedule against the job types now, so a bad one stops the start with its property name. */
    static List<Schedule> schedules(List<QuiesceProperties.Schedule> configured, JobTypes types, JsonMapper json) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            QuiesceProperties.Schedule schedule = configured.get(i);
            String at = "quiesce.schedules[" + i + "]";
            if (!names.add(schedule.name())) {
                throw new InvalidConfigurationException(at + ".name", "'" + schedule.name() + "' is used twice");
            }
            JsonNode params = json.valueToTree(schedule.params());
            try {
                types.validate(schedule.type(), ScheduleParams.typed(params));
            } catch (InvalidJobException e) {
                var problem = e.problems().get(0);
                throw new InvalidConfigurationException(at + "." + problem.field(), problem.message());
            }
        }
        return configured.stream().map(schedule -> new Schedule(schedule.name(), schedule.every(),
                schedule.cron() == null || schedule.cron().isBlank() ? null : schedule.cron(), schedule.type(),
                ScheduleParams.typed(json.valueToTree(schedule.params())))).toList();
    }
}
