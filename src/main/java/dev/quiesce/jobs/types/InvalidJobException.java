package dev.quiesce.jobs.types;

import java.util.List;

/** The request does not describe a valid job; every problem found is listed. */
public final class InvalidJobException extends RuntimeException {

    private final transient List<FieldProblem> problems;

    public InvalidJobException(List<FieldProblem> problems) {
        super(problems.isEmpty() ? "invalid job" : problems.get(0).field() + ": " + problems.get(0).message(), null,
                false, false);
        this.problems = List.copyOf(problems);
    }

    public static InvalidJobException of(String field, String message) {
        return new InvalidJobException(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
