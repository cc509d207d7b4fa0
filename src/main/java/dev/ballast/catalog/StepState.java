package dev.ballast.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a probe saw on a host, as named facts ({@code scheduler=mq-deadline}, {@code rule=<file text>}).
 * Flat strings so it can be stored as a rollback point, compared for equality and shown to operators
 * as is. {@link #ABSENT} marks a file or object that does not exist.
 */
public record StepState(Map<String, String> facts) {

    public static final String ABSENT = "<absent>";
    private static final Pattern SECRET_ATTRIBUTE = Pattern.compile("(\\bpasswd=)(['\"])[^'\"]*\\2");

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

    /**
     * The facts as operators may see them: secrets a rollback point must keep to restore a domain exactly
     * (VNC and SPICE passwords, captured with {@code --security-info}) are masked.
     */
    public StepState redacted() {
        Map<String, String> shown = new LinkedHashMap<>();
        facts.forEach((fact, value) -> shown.put(fact, SECRET_ATTRIBUTE.matcher(value).replaceAll("$1$2********$2")));
        return new StepState(shown);
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
