package dev.ballast.input;

import java.util.Arrays;

import dev.ballast.problem.InvalidInputException;

/**
 * Query and path parameters read as text and checked here, so a bad value is a 400 naming the parameter
 * rather than JAX-RS's own 404 for a value it could not convert.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** A whole number from min to max, or the fallback when the parameter is absent. */
    public static int number(String field, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (!raw.matches("\\d{1,9}") || Integer.parseInt(raw) < min || Integer.parseInt(raw) > max) {
            throw InvalidInputException.of(field, "'" + raw + "' is not a number from " + min + " to " + max);
        }
        return Integer.parseInt(raw);
    }

    /** A database id in a path or query parameter: a 400 naming the parameter for anything else. */
    public static long id(String field, String raw) {
        if (raw == null || !raw.matches("[0-9]{1,18}")) {
            throw InvalidInputException.of(field, "'" + raw + "' is not an id");
        }
        return Long.parseLong(raw);
    }

    /** A true/false switch such as {@code ?dryRun=true}; absent or empty is false. */
    public static boolean flag(String field, String raw) {
        if (raw == null || raw.isEmpty() || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw InvalidInputException.of(field, Check.quoted(raw) + " is not true or false");
    }

    /** One of an enum's constants by name, or null when the parameter is absent. */
    public static <E extends Enum<E>> E choice(String field, String raw, Class<E> type) {
        if (raw == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(raw)) {
                return constant;
            }
        }
        throw InvalidInputException.of(field, "'" + raw + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
}
