package dev.ballast.catalog;

/**
 * What a step's rollback restores: the state captured before apply; the state verify saw right after it
 * (what Ballast left on the host, null when the attempt died before verify), against which a step can
 * tell edits others made since; and whether the operator forced the rollback past such refusals.
 */
public record RestorePoint(StepState captured, StepState applied, boolean forced) {

    /** The rollback of a change this attempt has just made, with nothing known of what it left. */
    public static RestorePoint of(StepState captured) {
        return new RestorePoint(captured, null, false);
    }
}
