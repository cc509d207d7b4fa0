package dev.ballast.inventory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.ballast.problem.FieldError;

/** What an import did, or with {@code dryRun} would do, host by host. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportReport(String format, boolean dryRun, int created, int updated, int unchanged, List<Change> hosts,
        List<FieldError> ignored) {

    public enum Action {
        CREATED, UPDATED, UNCHANGED
    }

    public record Change(String name, Action action) {
    }

    /** @param ignored what the file holds that Ballast does not keep, such as variables that are no labels */
    static ImportReport of(String format, boolean dryRun, List<Change> changes, List<FieldError> ignored) {
        return new ImportReport(format, dryRun, count(changes, Action.CREATED), count(changes, Action.UPDATED),
                count(changes, Action.UNCHANGED), List.copyOf(changes), List.copyOf(ignored));
    }

    /** The counts without the per-host list, for the audit record. */
    ImportReport summary() {
        return new ImportReport(format, dryRun, created, updated, unchanged, null, null);
    }

    private static int count(List<Change> changes, Action action) {
        return (int) changes.stream().filter(c -> c.action() == action).count();
    }
}
