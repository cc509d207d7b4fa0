package dev.ballast.rollout;

import java.util.List;

/**
 * The connection to a host broke (or was cut at the plan's hostTimeout) after steps had changed it:
 * the changes are still there, and whoever holds the host's target reconnects to roll them back.
 */
final class ChangesLeft extends Exception {

    private final transient TaskOutcome failure;
    private final transient List<StepUndo.Point> applied;

    ChangesLeft(TaskOutcome failure, List<StepUndo.Point> applied) {
        super(failure.error(), null, false, false);
        this.failure = failure;
        this.applied = List.copyOf(applied);
    }

    /** Why the task failed. */
    TaskOutcome failure() {
        return failure;
    }

    /** The points to restore, the last applied first. */
    List<StepUndo.Point> applied() {
        return applied;
    }
}
