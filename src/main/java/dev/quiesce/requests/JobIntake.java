package dev.quiesce.requests;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobSubmitter;
import dev.quiesce.jobs.RefusalReason;
import dev.quiesce.jobs.SubmitOptions;
import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.jobs.types.ValidJob;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.pool.JobPool;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.JobStore.Conflict;
import dev.quiesce.store.JobStore.Existing;
import dev.quiesce.store.JobStore.Inserted;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.store.StoreUnavailableException;
import tools.jackson.databind.JsonNode;

/**
 * Admission: refuses while a stop is under way, validates, and stores the job (answering only after the
 * commit); the store refuses when the queue is full. Then wakes the pool.
 */
public final class JobIntake implements JobSubmitter {

    public static final int MAX_KEY_LENGTH = 255;

    private final JobStore store;
    private final JobTypes types;
    private final JobPool pool;
    private final ShutdownCoordinator coordinator;
    private final JobEvents events;
    private final JobIds ids;
    private final Clock clock;
    private final int queueCapacity;

    public JobIntake(JobStore store, JobTypes types, JobPool pool, ShutdownCoordinator coordinator, JobEvents events,
            Clock clock, int queueCapacity) {
        this.store = store;
        this.types = types;
        this.pool = pool;
        this.coordinator = coordinator;
        this.events = events;
        this.ids = new JobIds(clock);
        this.clock = clock;
        this.queueCapacity = queueCapacity;
    }

    @Override
    public SubmitOutcome submit(String type, JsonNode params, SubmitOptions options,
            Optional<String> idempotencyKey) {
        return admit(type, params, options, idempotencyKey, KeyOwner.CLIENT);
    }

    @Override
    public SubmitOutcome submitFiring(String type, JsonNode params, String scheduleKey) {
        if (!scheduleKey.startsWith(SCHEDULE_KEY_PREFIX)) {
            throw new IllegalArgumentException("a firing's key begins with " + SCHEDULE_KEY_PREFIX + ": " + scheduleKey);
        }
        return admit(type, params, SubmitOptions.NONE, Optional.of(scheduleKey), KeyOwner.SCHEDULER);
    }

    /** Who may use the scheduler's key namespace: told by the entry point, never by the key itself. */
    private enum KeyOwner {
        CLIENT, SCHEDULER
    }

    private SubmitOutcome admit(String type, JsonNode params, SubmitOptions options, Optional<String> idempotencyKey,
            KeyOwner owner) {
        if (!coordinator.isAcceptingWork()) {
            events.rejected(RefusalReason.DRAINING);
            return new Refused(RefusalReason.DRAINING);
        }
        ValidJob valid;
        try {
            idempotencyKey.ifPresent(key -> checkKey(key, owner));
            valid = types.validate(type, params);
        } catch (InvalidJobException e) {
            events.rejected(RefusalReason.INVALID);
            throw e;
        }
        // The hash tells a repeat of a key from a reuse with another body, so only a keyed job needs one. A body
        // without options hashes as it did before options existed.
        String asked = options.canonical();
        String requestHash = idempotencyKey.isPresent()
                ? hash(valid.type() + '\n' + valid.params() + (asked.isEmpty() ? "" : '\n' + asked)) : null;
        Instant now = clock.instant();
        NewJob job = new NewJob(ids.next(), valid.type(), valid.params(), idempotencyKey.orElse(null), requestHash,
                now, options.resolve(now));
        JobStore.InsertResult result;
        try {
            result = store.insert(job, queueCapacity);
        } catch (StoreUnavailableException e) {
            events.rejected(RefusalReason.STORE_UNAVAILABLE);
            throw e;
        }
        if (result instanceof Inserted inserted) {
            events.submitted();
            pool.wake();
            return new Accepted(inserted.job(), true);
        }
        if (result instanceof Existing existing) {
            return new Accepted(existing.job(), false);
        }
        if (result instanceof Conflict conflict) {
            return new KeyConflict(conflict.job());
        }
        events.rejected(RefusalReason.QUEUE_FULL);
        return new Refused(RefusalReason.QUEUE_FULL);
    }

    private static void checkKey(String key, KeyOwner owner) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw InvalidJobException.of("Idempotency-Key",
                    "must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
        }
        if (owner == KeyOwner.CLIENT && key.startsWith(SCHEDULE_KEY_PREFIX)) {
            throw InvalidJobException.of("Idempotency-Key",
                    "must not begin with '" + SCHEDULE_KEY_PREFIX + "': those keys belong to the schedules' firings");
        }
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
