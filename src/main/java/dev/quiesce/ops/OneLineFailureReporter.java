package dev.quiesce.ops;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Prints an analysed start failure as one line on standard error (Spring Boot's own reporter, which prints a
 * banner block, is silenced in {@code application.yaml}).
 */
public final class OneLineFailureReporter implements FailureAnalysisReporter {

    @Override
    public void report(FailureAnalysis analysis) {
        System.err.println("quiesce: " + analysis.getDescription());
        System.err.flush();
    }
}
