package dev.ballast.rollout;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.ballast.problem.ConflictException;

/** The states of a rollout and the only moves between them. */
public enum RolloutState {
    PENDING, RUNNING, AWAITING_APPROVAL, PAUSED, SUCCEEDED, FAILED, HALTED, CANCELLED;

    private static final Map<RolloutState, Set<RolloutState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(AWAITING_APPROVAL, PAUSED, SUCCEEDED, FAILED, HALTED, CANCELLED),
            AWAITING_APPROVAL, EnumSet.of(RUNNING, PAUSED, CANCELLED),
            PAUSED, EnumSet.of(RUNNING, AWAITING_APPROVAL, CANCELLED),
            HALTED, EnumSet.of(RUNNING, CANCELLED),
            FAILED, EnumSet.of(RUNNING),
            SUCCEEDED, EnumSet.noneOf(RolloutState.class),
            CANCELLED, EnumSet.noneOf(RolloutState.class));

    public boolean isFinal() {
        return this == SUCCEEDED || this == CANCELLED;
    }

    /** Refuses a move the state machine does not allow, naming both states. */
    public RolloutState moveTo(RolloutState next, String action) {
        if (!ALLOWED.get(this).contains(next)) {
            throw new ConflictException("cannot " + action + " a rollout that is " + this);
        }
        return next;
    }
}
