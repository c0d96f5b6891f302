package dev.quiesce.pool;

import java.util.function.Consumer;

/**
 * Where a job's finish is told (the pool, a cancel) so that its long polls answer: {@link JobQueries} listens
 * (it is made after the pool, which needs this first). Thread-safe; with no listener a finish tells nobody.
 */
final class JobWatch {

    private volatile Consumer<String> listener = id -> {
    };

    void listen(Consumer<String> listener) {
        this.listener = listener;
    }

    void finished(String id) {
        listener.accept(id);
    }
}
