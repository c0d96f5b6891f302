package dev.quiesce.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code quiesce.*} setting, typed and validated at start. A bad value stops the start with
 * one line naming the property (see {@code ops.ConfigurationFailureAnalyzer}).
 */
@ConfigurationProperties("quiesce")
@Validated
public record QuiesceProperties(
        @Pattern(regexp = "[A-Za-z0-9._:-]{1,128}", message = "must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'")
        String instanceId,
        @Valid @DefaultValue Pool pool,
        @Valid @DefaultValue Shutdown shutdown,
        @Valid @DefaultValue Jobs jobs,
        @Valid @DefaultValue Processor processor,
        @Valid @DefaultValue Admin admin,
        @Valid @DefaultValue Api api,
        @Valid @DefaultValue Store store,
        @Valid List<@Valid @NotNull Schedule> schedules) {

    public QuiesceProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = defaultInstanceId();
        }
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
    }

    /** Host name plus process id: unique per process, readable in logs. */
    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String safeHost = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (safeHost.length() > 100) {
            safeHost = safeHost.substring(0, 100);
        }
        return safeHost + "-" + ProcessHandle.current().pid();
    }

    public record Pool(
            @DefaultValue("4") @Min(1) @Max(1024) int workers,
            @DefaultValue("10000") @Min(1) @Max(10_000_000) int queueCapacity) {
    }

    public record Shutdown(
            @DefaultValue("8s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration budget,
            @DefaultValue("0s") @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration preStopDelay,
            @DefaultValue("drain") @NotNull QueuedJobsPolicy queuedJobs,
            @DurationMin(millis = 1, message = "must be positive") Duration gracePeriod) {

        @AssertTrue(message = "must be shorter than quiesce.shutdown.budget")
        public boolean isPreStopDelayWithinBudget() {
            return budget == null || preStopDelay == null || preStopDelay.compareTo(budget) < 0;
        }
    }

    /** What a stop does with jobs still QUEUED. */
    public enum QueuedJobsPolicy {
        /** Run the queued jobs too, as far as the budget allows. */
        DRAIN,
        /** Let only the running jobs finish; leave queued ones in the store. */
        REQUEUE
    }

    public record Jobs(
            @DefaultValue("5") @Min(1) @Max(1000) int maxAttempts,
            @DefaultValue("30s") @NotNull @DurationMin(seconds = 1, message = "must be at least 1s") Duration lease,
            @DefaultValue("7d") @NotNull @DurationMin(seconds = 1, message = "must be at least 1s") Duration retention,
            @DefaultValue("1s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration retryBackoff,
            @DefaultValue("10m") @NotNull @DurationMin(millis = 1, message = "must be positive")
            Duration retryBackoffMax) {
    }

    public record Processor(
            @DefaultValue("200ms") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration flushInterval,
            @DefaultValue("256") @Min(1) @Max(100_000) int batchSize) {
    }

    /**
     * The store's one bound: the longest any caller waits on it (a submit's commit, a read, a claim), and how
     * soon a store that stopped answering is noticed.
     */
    public record Store(
            @DefaultValue("2s") @NotNull @DurationMin(millis = 250, message = "must be at least 250ms") Duration timeout) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    }

    public record Admin(String password) {
        public boolean hasPassword() {
            return password != null && !password.isEmpty();
        }

        @Override
        public String toString() {
            return "Admin[password=" + (hasPassword() ? "******" : "unset") + "]";
        }
    }

    public record Api(String token) {
        public boolean hasToken() {
            return token != null && !token.isEmpty();
        }

        @Override
        public String toString() {
            return "Api[token=" + (hasToken() ? "******" : "unset") + "]";
        }
    }

    public record Schedule(
            @NotNull @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must match [a-z0-9-]{1,64}") String name,
            Duration every,
            String cron,
            @NotBlank String type,
            Map<String, Object> params) {

        public Schedule {
            params = params == null ? Map.of() : Map.copyOf(params);
        }

        @AssertTrue(message = "exactly one of 'every' and 'cron' must be set")
        public boolean isEveryOrCron() {
            return (every == null) != (cron == null || cron.isBlank());
        }

        @AssertTrue(message = "must be a positive duration")
        public boolean isEveryPositive() {
            return every == null || (!every.isNegative() && !every.isZero());
        }

        @AssertTrue(message = "must be a valid 6-field cron expression")
        public boolean isCronValid() {
            return cron == null || cron.isBlank() || CronExpression.isValidExpression(cron);
        }
    }
}
