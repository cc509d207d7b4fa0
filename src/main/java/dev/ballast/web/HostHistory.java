package dev.ballast.web;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ballast.catalog.StepState;
import dev.ballast.rollout.HostTaskView;

/**
 * A host's task in a rollout as the host-in-rollout view shows it: its attempts, and in each the records
 * of every check, step and rollback with the facts before and after side by side. A fact that spans
 * lines (a domain's XML) is shown as a unified diff instead of two cells no one can compare.
 */
public record HostHistory(HostTaskView task, List<Attempt> attempts) {

    public record Attempt(int number, List<Entry> entries) {
    }

    /** One record: what {@code /api/rollouts/{id}/hosts/{host}} gives, with its facts laid out to read. */
    public record Entry(HostTaskView.StepView record, List<Fact> facts, List<FactDiff> diffs, List<Fact> drift) {
        /** Numbered from 1 as a plan lists them; a rollback's position is the step it undoes. */
        public int number() {
            return record.position() + 1;
        }

        public boolean failed() {
            return switch (record.outcome()) {
                case "FAILED", "VERIFY_FAILED", "REFUSED_UNSAFE", "REFUSED_IRREVERSIBLE", "ROLLBACK_MISMATCH",
                        "ROLLBACK_FAILED", "ROLLBACK_REFUSED", "DRIFTED" -> true;
                default -> false;
            };
        }

        public String seconds() {
            return String.format(java.util.Locale.ROOT, "%.1f s", record.durationMs() / 1000.0);
        }
    }

    /** A one-line fact: its name, then two values (before and after, or desired and actual). */
    public record Fact(String name, String left, String right) {
        public boolean changed() {
            return !java.util.Objects.equals(left, right);
        }
    }

    /** A fact spanning lines, compared line by line; {@code note} says when it was created or removed instead. */
    public record FactDiff(String name, String note, UnifiedDiff diff) {
    }

    static HostHistory of(HostTaskView.Detail detail) {
        Map<Integer, List<Entry>> byAttempt = new LinkedHashMap<>();
        for (HostTaskView.StepView record : detail.history()) {
            byAttempt.computeIfAbsent(record.attempt(), a -> new ArrayList<>()).add(entry(record));
        }
        List<Attempt> attempts = new ArrayList<>();
        byAttempt.forEach((number, entries) -> attempts.add(new Attempt(number, entries)));
        return new HostHistory(detail.task(), attempts);
    }

    private static Entry entry(HostTaskView.StepView record) {
        Map<String, String> before = facts(record.before());
        Map<String, String> after = facts(record.after());
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        List<Fact> facts = new ArrayList<>();
        List<FactDiff> diffs = new ArrayList<>();
        for (String name : names) {
            String left = before.get(name);
            String right = after.get(name);
            if (TextExtensions.multiline(left) || TextExtensions.multiline(right)) {
                diffs.add(diff(name, left, right));
            } else {
                facts.add(new Fact(name, left, right));
            }
        }
        List<Fact> drift = new ArrayList<>();
        if (record.drift() instanceof JsonNode list) {
            list.forEach(d -> drift.add(new Fact(d.path("fact").asText(), text(d.get("desired")), text(d.get("actual")))));
        }
        return new Entry(record, facts, diffs, drift);
    }

    private static FactDiff diff(String name, String before, String after) {
        boolean created = before == null || StepState.ABSENT.equals(before);
        boolean removed = after == null || StepState.ABSENT.equals(after);
        String note = created && !removed ? "created" : removed && !created ? "removed" : null;
        return new FactDiff(name, note, UnifiedDiff.of(created ? "" : before, removed ? "" : after));
    }

    private static Map<String, String> facts(Object state) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (state instanceof JsonNode node) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> fact = it.next();
                facts.put(fact.getKey(), text(fact.getValue()));
            }
        }
        return facts;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
    }
}
