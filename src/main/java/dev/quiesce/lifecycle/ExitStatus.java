package dev.quiesce.lifecycle;

/** The process exit statuses of the contract. */
public final class ExitStatus {

    /** Every phase finished within the budget and no running job was cut off. */
    public static final int CLEAN = 0;
    /** A start failed (bad configuration, store unreachable). */
    public static final int START_FAILED = 1;
    /** EX_TEMPFAIL: the deadline cut off running work (it was requeued) or a phase ran out of time. */
    public static final int CUT_OFF = 75;

    private ExitStatus() {
    }
}
