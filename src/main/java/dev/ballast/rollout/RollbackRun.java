package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;

import dev.ballast.queue.TaskState;

/**
 * A host's rollback, step after step, last applied first: every step is tried, whatever the one before
 * it did, except after an irreversible refusal or a lost connection. The outcome names what is back and
 * what is not.
 */
final class RollbackRun {

    private RollbackRun() {
    }

    /** Restores the points in order; ROLLED_BACK (or SUCCEEDED for a web rollback) only if every one was. */
    static TaskOutcome restore(StepUndo undo, HostAttempt attempt, List<StepUndo.Point> points, TaskOutcome failure) {
        List<StepUndo.Result> done = new ArrayList<>();
        List<StepUndo.Point> untried = new ArrayList<>();
        for (StepUndo.Point point : points) {
            if (!done.isEmpty() && done.get(done.size() - 1).stops()) {
                untried.add(point);
            } else {
                done.add(undo.undo(attempt, point));
            }
        }
        List<String> back = done.stream().filter(StepUndo.Result::restored).map(r -> r.point().name()).toList();
        List<String> notBack = new ArrayList<>(done.stream().filter(r -> !r.restored()).map(StepUndo.Result::summary).toList());
        untried.forEach(p -> notBack.add(p.name() + " (not tried after the step above stopped the rollback)"));
        if (notBack.isEmpty()) {
            return failure == null ? TaskOutcome.ended(TaskState.SUCCEEDED)
                    : new TaskOutcome(TaskState.ROLLED_BACK, failure.errorKind(), failure.error());
        }
        String summary = "rolled back: " + (back.isEmpty() ? "nothing" : String.join(", ", back)) + "; not rolled back: "
                + String.join(", ", notBack);
        if (failure == null) {
            StepUndo.Result first = done.stream().filter(r -> !r.restored()).findFirst().orElseThrow();
            return TaskOutcome.failed(first.kind(), summary);
        }
        return TaskOutcome.failed(failure.errorKind(), failure.error() + "; " + summary);
    }
}
