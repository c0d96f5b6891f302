package dev.quiesce.jobs.types;

/** One invalid input field: {@code field} is a path such as {@code params.tasks[2].durationMs}. */
public record FieldProblem(String field, String message) {
}
