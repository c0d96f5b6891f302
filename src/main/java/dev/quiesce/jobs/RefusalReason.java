package dev.quiesce.jobs;

/** Why a submission was not accepted; the web layer maps each to its status code. */
public enum RefusalReason {
    /** The QUEUED jobs reached {@code quiesce.pool.queue-capacity}: 429. */
    QUEUE_FULL("queue_full"),
    /** A stop has begun: 503, try another instance. */
    DRAINING("draining"),
    /** Bad input: 400. */
    INVALID("invalid"),
    /** The store did not store it in time: 503, retry (with the same Idempotency-Key). */
    STORE_UNAVAILABLE("store_unavailable");

    private final String tag;

    RefusalReason(String tag) {
        this.tag = tag;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }
}
