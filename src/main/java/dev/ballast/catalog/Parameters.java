package dev.ballast.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.ballast.problem.FieldError;
import dev.ballast.problem.FieldErrors;

/**
 * The raw parameters of one step or check, read into typed values. Every problem is collected under
 * its field path ({@code steps[1].params.device}) and reported together; unknown names are errors too,
 * so a typo never silently falls back to a default.
 */
public final class Parameters {

    private final String field;
    private final Map<String, String> raw;
    private final FieldErrors errors = new FieldErrors();
    private final Set<String> read = new HashSet<>();

    Parameters(String field, Map<String, String> raw) {
        this.field = field;
        this.raw = raw == null ? Map.of() : raw;
    }

    public <T> T required(String name, Function<String, T> parser) {
        read.add(name);
        String text = raw.get(name);
        if (text == null) {
            errors.add(new FieldError(path(name), "is required"));
            return null;
        }
        return parse(name, text, parser);
    }

    public <T> T optional(String name, String defaultValue, Function<String, T> parser) {
        read.add(name);
        String text = raw.get(name);
        return parse(name, text == null ? defaultValue : text, parser);
    }

    private <T> T parse(String name, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(path(name), e.getMessage()));
            return null;
        }
    }

    /** Adds a rule that spans parameters, such as "size must fit the device". */
    public void reject(String name, String message) {
        errors.add(new FieldError(path(name), message));
    }

    /** Ends reading: unknown parameter names become errors, and all errors are thrown together. */
    void finish(List<ParameterSpec> specs) {
        for (String name : new TreeSet<>(raw.keySet())) {
            if (!read.contains(name)) {
                errors.add(new FieldError(path(Values.printable(name)), "is not a parameter of this step (it takes "
                        + String.join(", ", specs.stream().map(ParameterSpec::name).toList()) + ")"));
            }
        }
        errors.throwIfAny();
    }

    private String path(String name) {
        return field + "." + name;
    }
}
