package dev.ballast.rollout;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.ballast.problem.IllegalMove;

/**
 * The states of a wave and the only moves between them. A wave opens once (PENDING -> RUNNING), closes
 * against its thresholds (SUCCEEDED or FAILED), and a FAILED wave opens again when its failed hosts are
 * retried. A rollout that is cancelled ends its open waves (CANCELLED). Only {@link WaveTransitions}
 * writes a wave's state.
 */
public enum WaveState {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    private static final Map<WaveState, Set<WaveState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
            FAILED, EnumSet.of(RUNNING));

    public boolean canMoveTo(WaveState next) {
        return ALLOWED.getOrDefault(this, Set.of()).contains(next);
    }

    /** Refuses a move the table does not hold. */
    public void checkMove(WaveState next) {
        if (!canMoveTo(next)) {
            throw IllegalMove.notAllowed("wave", this, next);
        }
    }
}
