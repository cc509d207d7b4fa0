package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.ballast.problem.FieldError;
import dev.ballast.problem.FieldErrors;
import dev.ballast.problem.InvalidInputException;

/**
 * A host's labels (rack, zone, role, ...), with the key and value syntax of Kubernetes labels so that
 * selectors read the same: keys are {@code [prefix/]name}, values are empty or a name.
 */
public record Labels(Map<String, String> values) {

    static final int MAX_LABELS = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    private static final Pattern PREFIX = Pattern.compile("(?=.{1,253}/)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*/");
    // After the patterns: static fields initialise in order, and the constructor uses them.
    public static final Labels NONE = new Labels(Map.of());

    public Labels {
        if (values.size() > MAX_LABELS) {
            throw new IllegalArgumentException("has " + values.size() + " labels; at most " + MAX_LABELS + " are allowed");
        }
        values.forEach((key, value) -> {
            checkKey(key);
            checkValue(value);
        });
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Validates every entry, naming each bad one as {@code field.key}. */
    public static Labels parse(String field, Map<String, String> raw) {
        if (raw == null) {
            return NONE;
        }
        FieldErrors errors = new FieldErrors();
        if (raw.size() > MAX_LABELS) {
            errors.add(new FieldError(field, "has " + raw.size() + " labels; at most " + MAX_LABELS + " are allowed"));
        }
        raw.forEach((key, value) -> {
            errors.take(() -> InvalidInputException.forField(field, () -> {
                checkKey(key);
                return key;
            }));
            errors.take(() -> InvalidInputException.forField(field + "." + key, () -> {
                checkValue(value);
                return value;
            }));
        });
        errors.throwIfAny();
        return new Labels(raw);
    }

    /** A label key given as {@code field} (a query parameter, say), or a 400 naming it. */
    public static String key(String field, String key) {
        return InvalidInputException.forField(field, () -> {
            checkKey(key);
            return key;
        });
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a label key is empty");
        }
        int slash = key.lastIndexOf('/');
        boolean valid = NAME.matcher(key.substring(slash + 1)).matches()
                && (slash < 0 || PREFIX.matcher(key.substring(0, slash + 1)).matches());
        if (!valid) {
            throw new IllegalArgumentException(Check.quoted(key) + " is not a label key ([prefix/]name: a name is 1 to 63 "
                    + "letters, digits, '.', '-' or '_', starting and ending with a letter or digit)");
        }
    }

    static void checkValue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a label value is missing (use \"\" for none)");
        }
        if (!value.isEmpty() && !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(Check.quoted(value) + " is not a label value (empty, or 1 to 63 letters, "
                    + "digits, '.', '-' or '_', starting and ending with a letter or digit)");
        }
    }
}
