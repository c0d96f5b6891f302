package dev.quiesce.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

/** A data source whose connections' commits fail while asked to, after writing or without writing. */
final class FailingCommits {

    private FailingCommits() {
    }

    /**
     * {@code data}, except that while {@code fail} is set a commit throws: after the real commit when
     * {@code written} (the database has the transaction; its answer was lost), else instead of it.
     */
    static DataSource wrap(DataSource data, AtomicBoolean fail, boolean written) {
        ClassLoader loader = FailingCommits.class.getClassLoader();
        return (DataSource) Proxy.newProxyInstance(loader, new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object value = invoke(data, method, args);
                    if (!method.getName().equals("getConnection")) {
                        return value;
                    }
                    Connection real = (Connection) value;
                    return Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class},
                            (connection, call, callArgs) -> {
                                if (call.getName().equals("commit") && fail.get()) {
                                    if (written) {
                                        real.commit();
                                    }
                                    throw new SQLException("commit failed (test)");
                                }
                                return invoke(real, call, callArgs);
                            });
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
