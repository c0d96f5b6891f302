package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad setting stops the start: exit status 1 and one clear line naming the property. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class StartFailureProcessIT {

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({ "quiesce.pool.workers, 0", "quiesce.shutdown.queued-jobs, bogus",
        "quiesce.shutdown.grace-period, 0s" })
    void whenAConfigurationValueIsInvalidThenTheStartExitsOneWithOneLineNamingTheProperty(String property,
            String value) throws Exception {
        QuiesceProcess quiesce = processes.launch("--" + property + "=" + value);

        assertThat(quiesce.awaitExit(QuiesceProcess.START_LIMIT)).as("exit status of a failed start").isEqualTo(1);
        String output = quiesce.output();
        List<String> lines = output.lines().toList();
        assertThat(lines).as("lines naming %s in the output:%n%s", property, output)
                .filteredOn(line -> line.contains(property)).singleElement().asString()
                .startsWith("quiesce: invalid configuration: " + property);
        assertThat(lines).as("Java stack trace lines in the output:%n%s", output)
                .noneMatch(line -> line.startsWith("\tat "));
    }
}
