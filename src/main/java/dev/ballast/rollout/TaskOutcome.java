package dev.ballast.rollout;

import dev.ballast.queue.TaskState;

/**
 * How a host task ended: its end state and, unless it went well, what kind of failure and why. A check
 * that found drift is no failure, but it has a why too: what it found, for the host's row.
 */
record TaskOutcome(TaskState state, ErrorKind errorKind, String error) {

    static TaskOutcome ended(TaskState state) {
        return new TaskOutcome(state, null, null);
    }

    static TaskOutcome ended(TaskState state, String why) {
        return new TaskOutcome(state, null, why);
    }

    static TaskOutcome failed(ErrorKind kind, String error) {
        return new TaskOutcome(TaskState.FAILED, kind, error);
    }
}
