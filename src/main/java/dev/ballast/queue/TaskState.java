package dev.ballast.queue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.ballast.problem.IllegalMove;

/**
 * The states of a host task and the only moves between them. QUEUED -> RUNNING -> one of the ends; a
 * RUNNING task whose lease expired goes back to QUEUED, retry-failed puts FAILED and ROLLED_BACK tasks
 * back to QUEUED, a cancel ends QUEUED ones. COMPLIANT, DRIFTED and PENDING_RESTART (configured right,
 * running guests not yet restarted into it) end tasks of check mode. Only
 * {@link TaskQueue} writes a task's state, and only along these arrows.
 */
public enum TaskState {
    QUEUED, RUNNING, SUCCEEDED, ALREADY_COMPLIANT, FAILED, ROLLED_BACK, SKIPPED, COMPLIANT, DRIFTED, PENDING_RESTART,
    CANCELLED;

    public static final Set<TaskState> FAILURES = EnumSet.of(FAILED, ROLLED_BACK);

    private static final Map<TaskState, Set<TaskState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(QUEUED, SUCCEEDED, ALREADY_COMPLIANT, FAILED, ROLLED_BACK, SKIPPED, COMPLIANT, DRIFTED,
                    PENDING_RESTART),
            FAILED, EnumSet.of(QUEUED),
            ROLLED_BACK, EnumSet.of(QUEUED));

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }

    public boolean canMoveTo(TaskState next) {
        return ALLOWED.getOrDefault(this, Set.of()).contains(next);
    }

    /** Refuses a move the table does not hold. */
    public void checkMove(TaskState next) {
        if (!canMoveTo(next)) {
            throw IllegalMove.notAllowed("host task", this, next);
        }
    }
}
