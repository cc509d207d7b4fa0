package dev.ballast.rollout;

import dev.ballast.catalog.StepRefusal;
import dev.ballast.queue.TaskState;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A host's rollback from the web: restores the points another rollout captured on it, last applied
 * first, each verified against the captured state. The first step that refuses (a thin pool that now
 * holds volumes) or fails stops it, so what lies beneath stays as that step expects.
 */
@ApplicationScoped
class RestoreRun {

    private final RollbackPoints points;
    private final StepUndo undo;

    RestoreRun(RollbackPoints points, StepUndo undo) {
        this.points = points;
        this.undo = undo;
    }

    TaskOutcome run(HostAttempt attempt) {
        for (RollbackPoints.Captured point : points.unrestored(attempt.rollout().rollsBack(), attempt.task().host())) {
            StepUndo.Point restoring = new StepUndo.Point(point.taskId(), point.position(),
                    attempt.rollout().steps().get(point.position()), point.captured());
            try {
                if (!undo.undo(attempt, restoring)) {
                    return TaskOutcome.failed(ErrorKind.ROLLBACK_MISMATCH, point.step()
                            + ": the state after rollback differs from the captured one");
                }
            } catch (StepRefusal refusal) {
                return TaskOutcome.failed(ErrorKind.refused(refusal.kind()), point.step() + ": " + refusal.getMessage());
            } catch (RemoteFailure failure) {
                return TaskOutcome.failed(ErrorKind.of(failure.kind()), point.step() + ": " + failure.getMessage());
            }
        }
        return TaskOutcome.ended(TaskState.SUCCEEDED);
    }
}
