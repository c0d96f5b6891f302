package dev.quiesce.jobs.types;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.Cancellation;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobCancelledException;
import dev.quiesce.jobs.JobFailedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The catalog of job types: reads and validates params strictly, and runs jobs. Thread-safe and immutable.
 */
public final class JobTypes {

    private static final Logger log = LoggerFactory.getLogger(JobTypes.class);

    private final Map<String, JobType<?>> types;
    private final Validator validator;
    private final JsonMapper json;
    private final Executor partsExecutor;

    public JobTypes(Collection<? extends JobType<?>> types, Validator validator, Executor partsExecutor) {
        Map<String, JobType<?>> byName = new TreeMap<>();
        for (JobType<?> type : types) {
            JobType<?> previous = byName.put(type.name(), type);
            if (previous != null) {
                throw new IllegalStateException("two job types named '" + type.name() + "': "
                        + previous.getClass().getName() + " and " + type.getClass().getName());
            }
        }
        this.types = Map.copyOf(byName);
        this.validator = validator;
        this.json = StrictJson.MAPPER;
        this.partsExecutor = partsExecutor;
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(types.keySet());
    }

    public boolean contains(String name) {
        return types.containsKey(name);
    }

    /**
     * Checks a requested job.
     *
     * @param params the request's {@code params}; {@code null} counts as {@code {}}
     * @throws InvalidJobException listing every problem, fields named from the request's root
     */
    public ValidJob validate(String typeName, JsonNode params) {
        return validateAt("", typeName, params);
    }

    /**
     * {@link #validate} for a job inside another's params (a fanout's task), for a type made of other types: the
     * problems' fields are named from {@code prefix}.
     */
    public ValidJob validateAt(String prefix, String typeName, JsonNode params) {
        JobType<?> type = types.get(typeName);
        if (type == null) {
            throw InvalidJobException.of(prefix + "type", "unknown job type '" + abbreviate(typeName) + "'; known: "
                    + String.join(", ", names()));
        }
        return validateTyped(prefix, type, params);
    }

    private <P> ValidJob validateTyped(String prefix, JobType<P> type, JsonNode params) {
        JsonNode node = params == null || params.isNull() ? json.createObjectNode() : params;
        if (!node.isObject()) {
            throw InvalidJobException.of(prefix + "params", "must be a JSON object");
        }
        P typed;
        try {
            typed = json.treeToValue(node, type.paramsType());
        } catch (JacksonException e) {
            throw new InvalidJobException(List.of(describe(prefix + "params", e)));
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (ConstraintViolation<P> violation : validator.validate(typed)) {
            problems.add(new FieldProblem(prefix + "params." + violation.getPropertyPath(), violation.getMessage()));
        }
        if (problems.isEmpty()) {
            for (FieldProblem problem : type.check(typed, this)) {
                problems.add(new FieldProblem(prefix + "params." + problem.field(), problem.message()));
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparing(FieldProblem::field));
            throw new InvalidJobException(problems);
        }
        return new ValidJob(type.name(), canonical(json.valueToTree(typed)));
    }

    /** How long a run of this stored job may take: its own {@code timeoutMs}, else its type's default, if any. */
    public Optional<Duration> timeoutOf(Job job) {
        if (job.options().timeout() != null) {
            return Optional.of(job.options().timeout());
        }
        JobType<?> type = types.get(job.type());
        return type == null ? Optional.empty() : type.defaultTimeout();
    }

    /** How long this stored job is expected to run, when its type can tell from the params. */
    public Optional<Duration> expectedDuration(Job job) {
        JobType<?> type = types.get(job.type());
        return type == null ? Optional.empty() : expected(type, job.params());
    }

    private <P> Optional<Duration> expected(JobType<P> type, String params) {
        try {
            return type.expectedDuration(json.readValue(params, type.paramsType()));
        } catch (JacksonException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            // A type's own estimate that throws is no estimate: a drain or a forecast must not fail on it.
            log.debug("The expected duration of a {} job could not be worked out: {}", type.name(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Runs a stored job to its end.
     *
     * @return the result as JSON text
     * @throws JobCancelledException when cancelled (check the reason)
     * @throws Exception anything else the job threw: it failed
     */
    public String run(Job job, Cancellation cancellation) throws Exception {
        JobType<?> type = types.get(job.type());
        if (type == null) {
            throw new JobFailedException("job type '" + job.type() + "' is not known to this instance");
        }
        Object result = runTyped(type, json.readTree(job.params()),
                new JobContext(cancellation, partsExecutor, this));
        return json.writeValueAsString(result);
    }

    /**
     * Runs a part of a running job (a fanout's task) as a job of {@code typeName}, in {@code context} (see
     * {@link JobContext#child}), for a type made of other types.
     *
     * @return the part's result, not yet JSON
     */
    public Object runPart(String typeName, JsonNode params, JobContext context) throws Exception {
        JobType<?> type = types.get(typeName);
        if (type == null) {
            throw new JobFailedException("unknown job type '" + typeName + "'");
        }
        return runTyped(type, params, context);
    }

    private <P> Object runTyped(JobType<P> type, JsonNode params, JobContext context) throws Exception {
        return type.run(json.treeToValue(params, type.paramsType()), context);
    }

    private static FieldProblem describe(String base, JacksonException e) {
        StringBuilder field = new StringBuilder(base);
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                field.append('.').append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        if (e instanceof UnrecognizedPropertyException) {
            return new FieldProblem(field.toString(), "unknown field");
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new FieldProblem(field.toString(), "must be " + describeType(mismatch.getTargetType()));
        }
        return new FieldProblem(field.toString(), "invalid value");
    }

    private static String describeType(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }

    /** JSON text with object keys sorted, so equal params give equal text (idempotency compares it). */
    static String canonical(JsonNode node) {
        return StrictJson.MAPPER.writeValueAsString(sorted(node));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                fields.put(entry.getKey(), sorted(entry.getValue()));
            }
            ObjectNode copy = StrictJson.MAPPER.createObjectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            var copy = StrictJson.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    /**
     * The {@code error} of a job (or fanout task) that ended by throwing {@code thrown}. An exception is a
     * failure its job chose to report: its message, or its simple class name when it has none. An {@link Error}
     * ({@code AssertionError}, {@code NoClassDefFoundError}, {@code OutOfMemoryError}...) is not: its class name
     * leads, then its message, e.g. {@code java.lang.AssertionError: boom}.
     */
    public static String failure(Throwable thrown) {
        String message = thrown.getMessage();
        if (thrown instanceof Error) {
            return message == null ? thrown.getClass().getName() : thrown.getClass().getName() + ": " + message;
        }
        return message == null ? thrown.getClass().getSimpleName() : message;
    }

    /** Preserves insertion order; used by types that return several named values. */
    public static Map<String, Object> result(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
