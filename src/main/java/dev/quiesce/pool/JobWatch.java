package dev.quiesce.pool;

import java.util.function.Consumer;

/**
 * Where a job's finish is told so that those waiting for it hear: the pool tells every run it ends and every
 * poisoned claim, a cancel (in {@code requests}) every QUEUED job it cancels, and the long polls (in
 * {@code requests}) listen. It lives here because the pool is made first and needs it from its first run on;
 * the long polls begin listening when they are made. Thread-safe; with no listener a finish tells nobody.
 */
public final class JobWatch {

    private volatile Consumer<String> listener = id -> {
    };

    public void listen(Consumer<String> listener) {
        this.listener = listener;
    }

    public void finished(String id) {
        listener.accept(id);
    }
}
