package dev.quiesce.jobs.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.Cancellation;
import dev.quiesce.jobs.JobCancelledException;
import dev.quiesce.jobs.JobFailedException;
import dev.quiesce.jobs.types.FieldProblem;
import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;
import dev.quiesce.jobs.types.JobTypes;
import tools.jackson.databind.JsonNode;

/**
 * {@code fanout}: runs its tasks concurrently and waits for all of them. With {@code failFast} (the default)
 * the first failure cancels the others with that failure as the reason and the job fails with it, as Go's
 * errgroup does; without it every task runs to its end and the job fails with the first failure, if any.
 */
public final class FanoutJob implements JobType<FanoutJob.Params> {

    public static final String NAME = "fanout";
    public static final int MAX_TASKS = 64;

    public record Task(@NotBlank String type, JsonNode params) {
    }

    public record Params(@NotNull @Size(min = 1, max = MAX_TASKS) List<@NotNull @Valid Task> tasks, Boolean failFast) {
        public Params {
            failFast = failFast == null ? Boolean.TRUE : failFast;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public List<FieldProblem> check(Params params, JobTypes types) {
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < params.tasks().size(); i++) {
            Task task = params.tasks().get(i);
            String at = "tasks[" + i + "].";
            if (NAME.equals(task.type())) {
                problems.add(new FieldProblem(at + "type", "a fanout cannot contain a fanout"));
                continue;
            }
            try {
                types.validateAt(at, task.type(), task.params());
            } catch (InvalidJobException e) {
                problems.addAll(e.problems());
            }
        }
        return problems;
    }

    @Override
    public Optional<Duration> expectedDuration(Params params) {
        // Unknown: how many tasks run at once depends on the parts executor, and a task's type may not know its
        // own run time. The drain falls back on the recent run times of fanout jobs.
        return Optional.empty();
    }

    @Override
    public Object run(Params params, JobContext context) throws Exception {
        List<Task> tasks = params.tasks();
        Object[] results = new Object[tasks.size()];
        AtomicReference<String> firstError = new AtomicReference<>();
        Cancellation group = context.cancellation().child();
        CountDownLatch finished = new CountDownLatch(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            int index = i;
            Task task = tasks.get(i);
            JobContext part = context.child(group.child());
            context.executor().execute(() -> {
                try {
                    results[index] = context.types().runPart(task.type(), task.params(), part);
                } catch (JobCancelledException e) {
                    results[index] = null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    // An Error fails its task like an exception; escaping, it would leave a null result behind
                    // and the job would succeed.
                    String error = JobTypes.failure(e);
                    if (firstError.compareAndSet(null, error) && params.failFast()) {
                        group.cancel(CancelReason.siblingFailed(error));
                    }
                } finally {
                    finished.countDown();
                }
            });
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            group.cancel(context.cancellation().reason() != null ? context.cancellation().reason()
                    : CancelReason.SHUTDOWN_DEADLINE);
            Thread.currentThread().interrupt();
            throw e;
        }
        context.cancellation().throwIfCancelled();
        if (firstError.get() != null) {
            throw new JobFailedException(firstError.get());
        }
        return JobTypes.result("results", Arrays.asList(results));
    }
}
