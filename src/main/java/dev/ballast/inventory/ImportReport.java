package dev.ballast.inventory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.ballast.problem.FieldError;

/**
 * What an import did, or with {@code dryRun} would do, host by host: {@code ignored} names each definition
 * of the file that Ballast does not keep (each host's change names those that apply to it), and
 * {@code warnings} those that make Ballast reach hosts otherwise than Ansible does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportReport(String format, boolean dryRun, int created, int updated, int unchanged, List<Change> hosts,
        List<FieldError> ignored, List<Warning> warnings) {

    public enum Action {
        CREATED, UPDATED, UNCHANGED
    }

    /** @param ignored the names of the file's variables that Ballast does not keep for this host */
    public record Change(String name, Action action, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> ignored) {
    }

    /** A definition in the file (a variable, on a line) that makes Ballast reach these hosts otherwise than Ansible. */
    public record Warning(String field, String message, Integer line, List<String> hosts) {
    }

    static ImportReport of(String format, boolean dryRun, List<Change> changes, ImportNotes notes) {
        return new ImportReport(format, dryRun, count(changes, Action.CREATED), count(changes, Action.UPDATED),
                count(changes, Action.UNCHANGED), List.copyOf(changes), notes.ignored(), notes.warnings());
    }

    /** The counts without the per-host lists, for the audit record. */
    ImportReport summary() {
        return new ImportReport(format, dryRun, created, updated, unchanged, null, null, null);
    }

    private static int count(List<Change> changes, Action action) {
        return (int) changes.stream().filter(c -> c.action() == action).count();
    }
}
