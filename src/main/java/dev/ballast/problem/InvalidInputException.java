package dev.ballast.problem;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Input that breaks a rule; answered with 400 and every field at fault. */
public class InvalidInputException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }

    /**
     * Builds a value whose constructor checks itself (throwing {@link IllegalArgumentException} with the
     * rule it broke) and names the field when it refuses.
     */
    public static <T> T forField(String field, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw of(field, e.getMessage());
        }
    }

    public List<FieldError> errors() {
        return errors;
    }
}
