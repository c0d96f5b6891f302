package dev.quiesce;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Runs quiesce. A start that fails exits 1 (the reason was already printed, in one line when it is a bad
 * setting); a stop exits with the status the stop earned (see {@code lifecycle.StopSignals}).
 */
@SpringBootApplication
public class QuiesceApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(QuiesceApplication.class, args);
        } catch (SpringApplication.AbandonedRunException buildTimeProcessing) {
            throw buildTimeProcessing; // Spring AOT at build time ends the run on purpose: not a failed start
        } catch (Throwable startFailed) {
            System.exit(1);
        }
    }
}
