package dev.ballast.queue;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a host task. QUEUED -> RUNNING -> one of the ends; a RUNNING task whose lease expired
 * goes back to QUEUED, and retry-failed puts FAILED and ROLLED_BACK tasks back to QUEUED.
 * COMPLIANT and DRIFTED end tasks of check mode.
 */
public enum TaskState {
    QUEUED, RUNNING, SUCCEEDED, ALREADY_COMPLIANT, FAILED, ROLLED_BACK, SKIPPED, COMPLIANT, DRIFTED, CANCELLED;

    public static final Set<TaskState> FAILURES = EnumSet.of(FAILED, ROLLED_BACK);

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
