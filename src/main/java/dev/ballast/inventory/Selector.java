package dev.ballast.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.ballast.problem.InvalidInputException;

/**
 * A label selector in the Kubernetes style: {@code rack=r1,role!=storage,zone in (a,b),!retired}.
 * Requirements are ANDed. This is the one parser used wherever hosts are chosen, and {@link #toSql()}
 * the one translation into SQL over the {@code host.labels} column.
 *
 * <p>As in Kubernetes, {@code !=} and {@code notin} also match hosts that lack the label.
 */
public record Selector(List<Requirement> requirements) {

    public static final Selector ALL = new Selector(List.of());
    /** How a change says it means every host: a character no label key may hold. */
    public static final String EVERY_HOST = "*";
    static final int MAX_LENGTH = 4096;

    public Selector {
        requirements = List.copyOf(requirements);
    }

    public sealed interface Requirement {
        String key();

        /** SQL over {@code labels}; its {@code ?} placeholders take {@link #parameters()} in order. */
        String sql();

        List<String> parameters();
    }

    public record Equals(String key, String value) implements Requirement {
        public String sql() {
            return "labels ->> ? = ?";
        }

        public List<String> parameters() {
            return List.of(key, value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    public record NotEquals(String key, String value) implements Requirement {
        public String sql() {
            return "(labels ->> ?) is distinct from ?";
        }

        public List<String> parameters() {
            return List.of(key, value);
        }

        @Override
        public String toString() {
            return key + "!=" + value;
        }
    }

    public record In(String key, List<String> values) implements Requirement {
        public String sql() {
            return "labels ->> ? in (" + placeholders(values) + ")";
        }

        public List<String> parameters() {
            return prepend(key, values);
        }

        @Override
        public String toString() {
            return key + " in (" + String.join(",", values) + ")";
        }
    }

    public record NotIn(String key, List<String> values) implements Requirement {
        public String sql() {
            return "coalesce(labels ->> ? not in (" + placeholders(values) + "), true)";
        }

        public List<String> parameters() {
            return prepend(key, values);
        }

        @Override
        public String toString() {
            return key + " notin (" + String.join(",", values) + ")";
        }
    }

    public record Exists(String key) implements Requirement {
        public String sql() {
            return "labels ->> ? is not null";
        }

        public List<String> parameters() {
            return List.of(key);
        }

        @Override
        public String toString() {
            return key;
        }
    }

    public record Absent(String key) implements Requirement {
        public String sql() {
            return "labels ->> ? is null";
        }

        public List<String> parameters() {
            return List.of(key);
        }

        @Override
        public String toString() {
            return "!" + key;
        }
    }

    /**
     * The selector of hosts something will change: never guessed. Blank is refused; every host in the
     * inventory takes the explicit {@link #EVERY_HOST}, which no label key can be.
     */
    public static Selector choosing(String field, String text) {
        if (text == null || text.isBlank()) {
            throw InvalidInputException.of(field, "is required: a label selector such as rack=r1, or " + EVERY_HOST
                    + " for every host in the inventory");
        }
        return text.strip().equals(EVERY_HOST) ? ALL : parse(field, text);
    }

    /** Parses a selector; null or blank selects every host. Errors name {@code field} and the position. */
    public static Selector parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        if (text.length() > MAX_LENGTH) {
            throw InvalidInputException.of(field, "is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        try {
            return new Selector(new SelectorParser(text).parse());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(field, e.getMessage());
        }
    }

    /** A WHERE condition; {@code true} for the empty selector. */
    public String toSql() {
        return requirements.isEmpty() ? "true"
                : requirements.stream().map(r -> "(" + r.sql() + ")").collect(Collectors.joining(" and "));
    }

    public List<String> sqlParameters() {
        List<String> all = new ArrayList<>();
        requirements.forEach(r -> all.addAll(r.parameters()));
        return all;
    }

    /** The canonical text, which parses back to an equal selector. */
    @Override
    public String toString() {
        return requirements.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    private static String placeholders(List<String> values) {
        return values.stream().map(v -> "?").collect(Collectors.joining(", "));
    }

    private static List<String> prepend(String key, List<String> values) {
        List<String> all = new ArrayList<>(values.size() + 1);
        all.add(key);
        all.addAll(values);
        return all;
    }
}
