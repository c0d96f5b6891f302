package dev.quiesce.testing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.validation.constraints.NotNull;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;

/**
 * {@code gate}: runs until the test opens its gate or the run is cancelled; counts how many run at once.
 * With {@code ignoreCancel} it also ignores cancellation (a badly written job) until the gate opens.
 */
public final class GateJob implements JobType<GateJob.Params> {

    public record Params(@NotNull String gate, Boolean ignoreCancel) {
    }

    private final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CancelReason> cancelReasons = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();

    @Override
    public String name() {
        return "gate";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    public void open(String gate) {
        latch(gate).countDown();
    }

    public int maxRunning() {
        return maxRunning.get();
    }

    public int running() {
        return running.get();
    }

    public int started() {
        return started.get();
    }

    public CancelReason cancelReason(String gate) {
        return cancelReasons.get(gate);
    }

    private void noteCancel(String gate, JobContext context) {
        if (context.cancellation().reason() != null) {
            cancelReasons.putIfAbsent(gate, context.cancellation().reason());
        }
    }

    private CountDownLatch latch(String gate) {
        return gates.computeIfAbsent(gate, g -> new CountDownLatch(1));
    }

    @Override
    public Object run(Params params, JobContext context) throws Exception {
        started.incrementAndGet();
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            CountDownLatch latch = latch(params.gate());
            boolean ignore = Boolean.TRUE.equals(params.ignoreCancel());
            while (true) {
                try {
                    if (latch.await(5, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    noteCancel(params.gate(), context);
                    if (!ignore) {
                        throw e;
                    }
                }
                if (context.cancellation().isCancelled()) {
                    noteCancel(params.gate(), context);
                    if (!ignore) {
                        context.checkCancelled();
                    }
                }
            }
            return java.util.Map.of("gate", params.gate());
        } finally {
            running.decrementAndGet();
        }
    }
}
