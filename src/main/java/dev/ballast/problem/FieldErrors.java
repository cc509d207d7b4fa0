package dev.ballast.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects the errors of several fields, so one answer names all of them rather than the first. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    /** Runs one field's parser; on failure records its errors and returns null. */
    public <T> T take(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    public void add(FieldError error) {
        errors.add(error);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
