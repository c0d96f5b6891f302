package dev.quiesce.lifecycle;

/**
 * What a stop begun now would do with the work in hand, as {@code forecast} in {@code GET /lifecycle}: whether
 * it would end clean, the time it would need ({@code needMs}: until the last job it would run is expected to
 * end, plus the time kept back for the phases after the jobs; more than the budget means work would be cut
 * off), how many running jobs it would cut off ({@code wouldRequeue}) and how many queued jobs it would leave
 * in the store ({@code wouldLeaveQueued}; that does not make a stop unclean). Immutable.
 */
public record StopForecast(boolean clean, long needMs, long wouldRequeue, long wouldLeaveQueued) {

    /**
     * Forecasts a stop, from memory: called on every {@code /lifecycle} read (the console polls it) and when a
     * stop begins, so it must be cheap and never wait on the store.
     */
    public interface Forecaster {

        StopForecast now();

        /** No jobs, nothing to forecast: for a coordinator without a pool (tests, tools). */
        Forecaster NONE = () -> new StopForecast(true, 0, 0, 0);
    }
}
