package dev.ballast.rollout;

import dev.ballast.catalog.StepRefusal;
import dev.ballast.remote.RemoteFailure;

/**
 * Why a host task did not succeed, as {@code host_task.error_kind} holds it. The database's CHECK
 * constraint lists exactly these names (a test compares the two).
 */
public enum ErrorKind {
    // The connection or a command (RemoteFailure.Kind, one for one).
    UNREACHABLE, AUTH_FAILED, HOST_KEY_UNKNOWN, HOST_KEY_MISMATCH, TIMEOUT, CONNECTION_LOST, COMMAND_FAILED,
    // The plan's own gates.
    PREFLIGHT_FAILED, VERIFY_FAILED, HEALTH_GATE,
    // A step that declined to act (StepRefusal.Kind, one for one).
    REFUSED_NOT_APPLICABLE, REFUSED_UNSAFE, REFUSED_IRREVERSIBLE,
    // A rollback whose result differs from the captured state.
    ROLLBACK_MISMATCH,
    // A fault inside Ballast: logged with its stack trace.
    INTERNAL;

    static ErrorKind of(RemoteFailure.Kind kind) {
        return switch (kind) {
            case UNREACHABLE -> UNREACHABLE;
            case AUTH_FAILED -> AUTH_FAILED;
            case HOST_KEY_UNKNOWN -> HOST_KEY_UNKNOWN;
            case HOST_KEY_MISMATCH -> HOST_KEY_MISMATCH;
            case TIMEOUT -> TIMEOUT;
            case CONNECTION_LOST -> CONNECTION_LOST;
            case COMMAND_FAILED -> COMMAND_FAILED;
        };
    }

    static ErrorKind refused(StepRefusal.Kind kind) {
        return switch (kind) {
            case NOT_APPLICABLE -> REFUSED_NOT_APPLICABLE;
            case UNSAFE -> REFUSED_UNSAFE;
            case IRREVERSIBLE -> REFUSED_IRREVERSIBLE;
        };
    }
}
