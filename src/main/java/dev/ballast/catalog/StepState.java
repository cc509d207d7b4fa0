package dev.ballast.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The facts as operators may see them: secrets a rollback point must keep to restore a domain exactly
     * (VNC and SPICE passwords, captured with {@code --security-info}) are masked.
     */
    public StepState redacted() {
        return masked().shown();
    }

    /** The facts with their secrets masked, and the secrets of each fact that held any, to be stored apart. */
    public record Masked(StepState shown, Map<String, List<String>> secrets) {
    }

    public Masked masked() {
        Map<String, String> shown = new LinkedHashMap<>();
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        facts.forEach((fact, value) -> {
            SecretAttributes.Split split = SecretAttributes.split(value);
            shown.put(fact, split.masked());
            if (!split.secrets().isEmpty()) {
                secrets.put(fact, split.secrets());
            }
        });
        return new Masked(new StepState(shown), secrets);
    }

    /** These masked facts with the secrets {@link #masked} took out put back. */
    public StepState withSecrets(Map<String, List<String>> secrets) {
        Map<String, String> whole = new LinkedHashMap<>(facts);
        secrets.forEach((fact, values) -> whole.put(fact, SecretAttributes.join(get(fact), values)));
        return new StepState(whole);
    }

    /** A text that is not a state's fact (a command's output, a detail) with its secrets masked. */
    public static String redact(String text) {
        return text == null ? null : SecretAttributes.split(text).masked();
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
