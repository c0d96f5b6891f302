package dev.quiesce.testing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import jakarta.validation.Validation;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.RunOptions;
import dev.quiesce.jobs.builtin.ComputeJob;
import dev.quiesce.jobs.builtin.FailJob;
import dev.quiesce.jobs.builtin.FanoutJob;
import dev.quiesce.jobs.builtin.SleepJob;
import dev.quiesce.jobs.types.JobType;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.jobs.types.StrictJson;
import dev.quiesce.jobs.types.ValidJob;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.store.JobStore;

/** Test helpers for jobs: the built-in catalog plus extra types, and direct inserts into a store. */
public final class Jobs {

    private Jobs() {
    }

    public static JobTypes catalog(JobType<?>... extra) {
        List<JobType<?>> types = new ArrayList<>(List.of(new SleepJob(), new ComputeJob(), new FailJob(),
                new FanoutJob()));
        types.addAll(List.of(extra));
        return new JobTypes(types, Validation.buildDefaultValidatorFactory().getValidator(),
                Executors.newCachedThreadPool(task -> {
                    Thread thread = new Thread(task, "test-part");
                    thread.setDaemon(true);
                    return thread;
                }));
    }

    /** Inserts a valid job straight into the store; returns its id. */
    public static String insert(JobStore store, JobTypes types, Clock clock, String type, String paramsJson) {
        return insert(store, types, clock, type, paramsJson, RunOptions.NOW);
    }

    /** Inserts a valid job with {@code options} straight into the store; returns its id. */
    public static String insert(JobStore store, JobTypes types, Clock clock, String type, String paramsJson,
            RunOptions options) {
        ValidJob valid = types.validate(type, StrictJson.MAPPER.readTree(paramsJson));
        String id = new JobIds(clock).next();
        JobStore.InsertResult result = store.insert(
                new NewJob(id, valid.type(), valid.params(), null, null, Instant.now(clock), options), 1_000_000);
        if (!(result instanceof JobStore.Inserted)) {
            throw new IllegalStateException("not inserted: " + result);
        }
        return id;
    }
}
