package dev.quiesce.ops;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RefusalReason;
import dev.quiesce.lifecycle.JobCounter;
import dev.quiesce.lifecycle.PhaseState;
import dev.quiesce.lifecycle.ShutdownListener;
import dev.quiesce.lifecycle.StopPhase;
import dev.quiesce.lifecycle.StoreHealth;

/**
 * The contract's metrics, every one registered at start with every tag value it can take, so alerting sees
 * a zero before the first event rather than nothing.
 */
final class JobMetrics implements JobEvents, ShutdownListener {

    private final Counter submitted;
    private final Map<JobStatus, Counter> completed = new EnumMap<>(JobStatus.class);
    private final Map<RefusalReason, Counter> rejected = new EnumMap<>(RefusalReason.class);
    private final Counter requeued;
    private final Counter retriedByHand;
    private final Map<JobStatus, Timer> durations = new EnumMap<>(JobStatus.class);
    private final Map<StopPhase, Timer> phases = new EnumMap<>(StopPhase.class);
    private final MeterRegistry registry;

    JobMetrics(MeterRegistry registry, Supplier<JobCounter> counter, StoreHealth storeHealth) {
        this.registry = registry;
        submitted = Counter.builder("quiesce.jobs.submitted").description("Jobs accepted (stored)")
                .register(registry);
        for (JobStatus status : JobStatus.values()) {
            if (status.isTerminal()) {
                completed.put(status, Counter.builder("quiesce.jobs.completed").tag("status", status.name())
                        .description("Jobs that reached a final status").register(registry));
                durations.put(status, Timer.builder("quiesce.job.duration").tag("status", status.name())
                        .description("Run time of finished jobs").register(registry));
            }
        }
        for (RefusalReason reason : RefusalReason.values()) {
            rejected.put(reason, Counter.builder("quiesce.jobs.rejected").tag("reason", reason.tag())
                    .description("Submissions refused").register(registry));
        }
        requeued = Counter.builder("quiesce.jobs.requeued")
                .description("Running jobs cut off by a stop and stored back as QUEUED").register(registry);
        retriedByHand = Counter.builder("quiesce.jobs.retried.by.hand")
                .description("FAILED or CANCELLED jobs an operator put back to QUEUED").register(registry);
        // strong references: the gauges are all that holds the supplier, and a weakly held one reads NaN after a GC
        Gauge.builder("quiesce.jobs.queued", counter, c -> c.get().queued())
                .description("QUEUED jobs in the store, as last counted (every second at most; from memory)")
                .strongReference(true).register(registry);
        Gauge.builder("quiesce.jobs.running", counter, c -> c.get().running())
                .description("Jobs running on this instance").strongReference(true).register(registry);
        Gauge.builder("quiesce.store.up", storeHealth, health -> health.isUp() ? 1 : 0)
                .description("1 while the store answers this instance, 0 while it does not").strongReference(true)
                .register(registry);
        for (StopPhase phase : StopPhase.values()) {
            phases.put(phase, Timer.builder("quiesce.shutdown.phase.duration").tag("phase", phase.label())
                    .description("Duration of each stop phase").register(registry));
        }
    }

    @Override
    public void submitted() {
        submitted.increment();
    }

    @Override
    public void rejected(RefusalReason reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void completed(JobStatus status, String type, Duration ranFor) {
        Counter counter = completed.get(status);
        if (counter != null) {
            counter.increment();
            durations.get(status).record(ranFor);
        }
    }

    @Override
    public void requeued(int count) {
        requeued.increment(count);
    }

    @Override
    public void retriedByHand(int count) {
        retriedByHand.increment(count);
    }

    /** By type: failures are rare, so the registry's lookup of the type's counter costs nothing that matters. */
    @Override
    public void failedRun(String type, boolean retried) {
        Counter.builder("quiesce.jobs.failures").tag("type", type).description("Runs that failed, by job type")
                .register(registry).increment();
        if (retried) {
            Counter.builder("quiesce.jobs.retries").tag("type", type)
                    .description("Failed runs whose job waits to be tried again, by job type").register(registry)
                    .increment();
        }
    }

    @Override
    public void phaseEnded(StopPhase phase, PhaseState state, Duration took) {
        phases.get(phase).record(took);
    }
}
