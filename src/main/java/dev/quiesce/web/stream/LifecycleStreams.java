package dev.quiesce.web.stream;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.quiesce.lifecycle.LifecycleStatus;
import dev.quiesce.lifecycle.LifecycleView;
import dev.quiesce.lifecycle.LifecycleViews;
import dev.quiesce.lifecycle.ShutdownListener;

/**
 * The open {@code GET /lifecycle/stream}s: a {@code lifecycle} event with the snapshot at once and on every
 * change of the lifecycle, and a {@code heartbeat} event with the live snapshot every second. Sends happen
 * on one thread of their own, never on the stopping thread. {@link #closeAll()} ends every stream (the web
 * server's graceful phase is about to begin: an open console must not hold the stop).
 */
public final class LifecycleStreams implements ShutdownListener {

    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final long STREAM_TIMEOUT_MILLIS = Duration.ofMinutes(30).toMillis();

    private final ObjectProvider<LifecycleViews> views;
    private final Set<SseEmitter> emitters = new CopyOnWriteArraySet<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "quiesce-lifecycle-stream");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    LifecycleStreams(ObjectProvider<LifecycleViews> views) {
        this.views = views;
        sender.scheduleAtFixedRate(() -> sendAll("heartbeat"), HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    SseEmitter open() {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        if (closed) {
            emitter.complete();
            return emitter;
        }
        emitters.add(emitter);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(error -> emitters.remove(emitter));
        sender.execute(() -> send(emitter, "lifecycle", views.getObject().current()));
        return emitter;
    }

    @Override
    public void changed(LifecycleStatus status) {
        if (!closed) {
            sender.execute(() -> sendAll("lifecycle"));
        }
    }

    /** Ends every stream now and refuses new ones. */
    public void closeAll() {
        closed = true;
        sender.shutdown();
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }

    private void sendAll(String event) {
        if (emitters.isEmpty() || closed) {
            return;
        }
        LifecycleView view = views.getObject().current();
        emitters.forEach(emitter -> send(emitter, event, view));
    }

    private void send(SseEmitter emitter, String event, LifecycleView view) {
        try {
            emitter.send(SseEmitter.event().name(event).data(view, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            emitters.remove(emitter);
            emitter.completeWithError(e);
        }
    }
}
