package dev.ballast.rollout;

import java.util.List;
import java.util.Map;

import dev.ballast.catalog.DomainLog;
import dev.ballast.catalog.Drift;
import dev.ballast.catalog.StepState;
import dev.ballast.queue.Claimed;
import dev.ballast.remote.CommandResult;

/**
 * One line of a host's history: what a check, step or rollback saw, did and printed, and the QEMU logs of the domains
 * it found in trouble (null when none was read).
 */
record StepRecord(int attempt, int position, Kind kind, String name, StepOutcome outcome, Map<String, String> before,
        Map<String, String> after, List<Drift> drift, String detail, String output, Integer exitCode, long durationMs,
        List<DomainLog> domainLogs) {

    enum Kind { CHECK, STEP, ROLLBACK }

    /** Starts the record of one check, step or rollback of a task's attempt; its duration runs from here. */
    static Builder start(Claimed task, int position, Kind kind, String name) {
        return new Builder(task.attempt(), position, kind, name);
    }

    /** Collects what a line holds while it happens; states, drift, detail and output are stored with their secrets masked. */
    static final class Builder {
        private final long startedNanos = System.nanoTime();
        private final int attempt;
        private final int position;
        private final Kind kind;
        private final String name;
        private StepState before;
        private StepState after;
        private List<Drift> drift;
        private String detail;
        private CommandResult command;
        private List<DomainLog> domainLogs;

        private Builder(int attempt, int position, Kind kind, String name) {
            this.attempt = attempt;
            this.position = position;
            this.kind = kind;
            this.name = name;
        }

        Builder before(StepState state) {
            before = state;
            return this;
        }

        Builder after(StepState state) {
            after = state;
            return this;
        }

        Builder drift(List<Drift> remaining) {
            drift = remaining;
            return this;
        }

        Builder detail(String text) {
            detail = text;
            return this;
        }

        Builder output(CommandResult result) {
            command = result;
            return this;
        }

        /** Logs the catalog read and masked; an empty list keeps none. */
        Builder domainLogs(List<DomainLog> logs) {
            domainLogs = logs == null || logs.isEmpty() ? null : List.copyOf(logs);
            return this;
        }

        StepRecord end(StepOutcome outcome) {
            String output = command == null ? null : command.stdout() + (command.stderr().isEmpty() ? "" : "\n[stderr]\n"
                    + command.stderr()) + (command.truncated() ? "\n[truncated]" : "");
            List<Drift> shownDrift = drift == null ? null : drift.stream()
                    .map(d -> new Drift(d.fact(), StepState.redact(d.desired()), StepState.redact(d.actual()))).toList();
            return new StepRecord(attempt, position, kind, name, outcome, facts(before), facts(after), shownDrift,
                    StepState.redact(detail), StepState.redact(output), command == null ? null : command.exitCode(),
                    (System.nanoTime() - startedNanos) / 1_000_000, domainLogs);
        }

        private static Map<String, String> facts(StepState state) {
            return state == null ? null : state.redacted().facts();
        }
    }
}
