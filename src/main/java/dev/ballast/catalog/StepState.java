package dev.ballast.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a probe saw on a host, as named facts ({@code scheduler=mq-deadline}, {@code rule=<file text>}).
 * Flat strings so it can be stored as a rollback point, compared for equality and shown to operators
 * as is. {@link #ABSENT} marks a file or object that does not exist.
 */
public record StepState(Map<String, String> facts) {

    public static final String ABSENT = "<absent>";

    public StepState {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    public String get(String fact) {
        String value = facts.get(fact);
        if (value == null) {
            throw new IllegalStateException("the probe recorded no fact '" + fact + "'");
        }
        return value;
    }

    public boolean absent(String fact) {
        return ABSENT.equals(facts.get(fact));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, String> facts = new LinkedHashMap<>();

        public Builder put(String fact, String value) {
            facts.put(fact, value == null ? ABSENT : value);
            return this;
        }

        public StepState build() {
            return new StepState(facts);
        }
    }
}
