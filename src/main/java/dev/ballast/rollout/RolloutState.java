package dev.ballast.rollout;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ballast.problem.IllegalMove;

/**
 * The states of a rollout and the only moves between them. Only {@link RolloutTransitions} writes a
 * rollout's state, and only along these arrows: the operator's controls and the coordinator alike.
 */
public enum RolloutState {
    PENDING, RUNNING, AWAITING_APPROVAL, PAUSED, SUCCEEDED, FAILED, HALTED, CANCELLED;

    private static final Map<RolloutState, Set<RolloutState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(AWAITING_APPROVAL, PAUSED, SUCCEEDED, FAILED, HALTED, CANCELLED),
            AWAITING_APPROVAL, EnumSet.of(RUNNING, PAUSED, CANCELLED),
            PAUSED, EnumSet.of(RUNNING, AWAITING_APPROVAL, CANCELLED),
            HALTED, EnumSet.of(RUNNING, CANCELLED),
            FAILED, EnumSet.of(RUNNING));

    /**
     * The operator's controls that apply in this state, by the name of their endpoint
     * ({@code POST /api/rollouts/{id}/<control>}): the UI shows these and no others.
     */
    public List<String> controls() {
        return switch (this) {
            case PENDING -> List.of("cancel");
            case RUNNING -> List.of("pause", "cancel");
            case AWAITING_APPROVAL -> List.of("approve", "deny", "pause", "cancel");
            case PAUSED -> List.of("resume", "cancel");
            case HALTED -> List.of("retry-failed", "cancel");
            case FAILED -> List.of("retry-failed");
            case SUCCEEDED, CANCELLED -> List.of();
        };
    }

    /** Ended: nothing moves it but a retry of its failed hosts (FAILED), or nothing at all. */
    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Nothing will move without an operator any more: ended, or halted. */
    public boolean isSettled() {
        return isFinished() || this == HALTED;
    }

    public boolean canMoveTo(RolloutState next) {
        return ALLOWED.getOrDefault(this, Set.of()).contains(next);
    }

    /** Refuses a move the table does not hold, saying which control asked for it. */
    public void checkMove(RolloutState next, String action) {
        if (!canMoveTo(next)) {
            throw new IllegalMove("cannot " + action + " a rollout that is " + this);
        }
    }
}
