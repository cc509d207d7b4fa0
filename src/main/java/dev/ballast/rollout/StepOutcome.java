package dev.ballast.rollout;

import dev.ballast.catalog.CheckResult;
import dev.ballast.catalog.StepRefusal;

/**
 * How one line of a host's history ended. The database's CHECK constraint on {@code step_result.outcome}
 * lists exactly these names (a test compares the two).
 */
public enum StepOutcome {
    // A preflight check or the health gate.
    PASSED, FAILED, NOT_APPLICABLE,
    // A step probed in check mode: PENDING_RESTART when the configuration is right but running guests
    // still use the old one.
    COMPLIANT, DRIFTED, PENDING_RESTART,
    // A step applied: FAILED (above) when a command failed or the connection broke.
    APPLIED, ALREADY_COMPLIANT, VERIFY_FAILED,
    // A step, or its rollback, that declined to act.
    REFUSED_NOT_APPLICABLE, REFUSED_UNSAFE, REFUSED_IRREVERSIBLE,
    // A step's rollback: restored and probed equal to the captured state, probed different, declined (an
    // irreversible change, a captured state it cannot put back), or failed.
    ROLLED_BACK, ROLLBACK_MISMATCH, ROLLBACK_REFUSED, ROLLBACK_FAILED;

    static StepOutcome of(CheckResult.Status status) {
        return switch (status) {
            case PASSED -> PASSED;
            case FAILED -> FAILED;
            case NOT_APPLICABLE -> NOT_APPLICABLE;
        };
    }

    static StepOutcome refused(StepRefusal.Kind kind) {
        return switch (kind) {
            case NOT_APPLICABLE -> REFUSED_NOT_APPLICABLE;
            case UNSAFE -> REFUSED_UNSAFE;
            case IRREVERSIBLE -> REFUSED_IRREVERSIBLE;
        };
    }
}
