package dev.quiesce.jobs.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor for the concurrent parts of a job (fanout tasks): one virtual thread per part on JDK 21+,
 * where waiting parts cost almost nothing; a cached pool of daemon platform threads on Java 17.
 */
final class PartsExecutor {

    private PartsExecutor() {
    }

    static ExecutorService create() {
        try {
            Object builder = MethodHandles.publicLookup()
                    .findStatic(Thread.class, "ofVirtual", MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")))
                    .invoke();
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = MethodHandles.publicLookup()
                    .findVirtual(builderType, "name", MethodType.methodType(builderType, String.class, long.class))
                    .invoke(builder, "quiesce-part-", 1L);
            ThreadFactory factory = (ThreadFactory) MethodHandles.publicLookup()
                    .findVirtual(builderType, "factory", MethodType.methodType(ThreadFactory.class))
                    .invoke(builder);
            return (ExecutorService) MethodHandles.publicLookup()
                    .findStatic(Executors.class, "newThreadPerTaskExecutor",
                            MethodType.methodType(ExecutorService.class, ThreadFactory.class))
                    .invoke(factory);
        } catch (Throwable noVirtualThreads) {
            AtomicInteger count = new AtomicInteger();
            return Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "quiesce-part-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
    }
}
