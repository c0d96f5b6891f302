package dev.quiesce.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.store.NewWorkListener;

/**
 * {@code LISTEN}s on one connection of its own and calls {@code onNewWork} for every batch of
 * notifications. If the connection breaks it reconnects; meanwhile the pool's polling covers.
 */
final class PostgresNewWorkListener implements NewWorkListener {

    private static final Logger log = LoggerFactory.getLogger(PostgresNewWorkListener.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final String channel;
    private final Runnable onNewWork;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;

    PostgresNewWorkListener(DataSource dataSource, String channel, Runnable onNewWork) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.onNewWork = onNewWork;
        this.thread = new Thread(this::loop, "quiesce-pg-listen");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + channel);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        onNewWork.run();
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    log.warn("Listening for new work failed ({}); polling covers until it reconnects", e.getMessage());
                    waitBeforeRetry();
                }
            }
        }
    }

    private void waitBeforeRetry() {
        try {
            closing.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        thread.interrupt();
    }
}
