import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * A bench tool, not part of quiesce: starts quiesce's application class the way its main does, but with Spring's
 * BufferingApplicationStartup, and prints every recorded step once the context is ready, one a line:
 * "step <id> <parent> <duration µs> <self µs> <name> <tags>" (self = the step's time less its child steps'),
 * then "ready_ms <JVM start to run() returned>", into the file -Dsteps.out (else stdout), and closes the context. bench/startup-steps.sh folds it.
 */
public final class StartupSteps {

    public static void main(String[] args) throws Exception {
        SpringApplication app = new SpringApplication(Class.forName("dev.quiesce.QuiesceApplication"));
        BufferingApplicationStartup startup = new BufferingApplicationStartup(1_000_000);
        app.setApplicationStartup(startup);
        ConfigurableApplicationContext context = app.run(args);
        long readyMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        List<StartupTimeline.TimelineEvent> events = startup.getBufferedTimeline().getEvents();
        Map<Long, Long> childNanos = new HashMap<>();
        for (StartupTimeline.TimelineEvent event : events) {
            Long parent = event.getStartupStep().getParentId();
            if (parent != null) {
                childNanos.merge(parent, event.getDuration().toNanos(), Long::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        for (StartupTimeline.TimelineEvent event : events) {
            StartupStep step = event.getStartupStep();
            long nanos = event.getDuration().toNanos();
            long self = nanos - childNanos.getOrDefault(step.getId(), 0L);
            List<String> tags = new ArrayList<>();
            for (StartupStep.Tag tag : step.getTags()) {
                tags.add(tag.getKey() + "=" + String.valueOf(tag.getValue()).replace(' ', '_'));
            }
            out.append("step ").append(step.getId()).append(' ').append(step.getParentId()).append(' ')
                    .append(nanos / 1000).append(' ').append(self / 1000).append(' ').append(step.getName())
                    .append(' ').append(String.join(",", tags)).append('\n');
        }
        out.append("ready_ms ").append(readyMs).append('\n');
        String file = System.getProperty("steps.out");
        if (file == null) {
            System.out.print(out);
            System.out.flush();
        } else {
            java.nio.file.Files.writeString(java.nio.file.Path.of(file), out);
        }
        context.close();
        System.exit(0);
    }
}
