package dev.ballast.rollout;

import dev.ballast.catalog.StepRefusal;
import dev.ballast.catalog.StepState;
import dev.ballast.catalog.TuningStep;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts one captured state back, for the rollback after a failure and for a rollback from the web alike:
 * the step's rollback, then a probe, restored only if the host now equals the captured state. Marks the
 * rollback point (of the task that captured it) and records the line.
 */
@ApplicationScoped
class StepUndo {

    /** A captured state to restore: the point that holds it and the step, bound to its parameters, that restores it. */
    record Point(long taskId, int position, TuningStep.Configured<?> step, StepState captured) {
    }

    private final RollbackPoints points;

    StepUndo(RollbackPoints points) {
        this.points = points;
    }

    /** Restores the point; answers whether the host now equals it. A refusal or a failure is recorded and thrown. */
    boolean undo(HostAttempt attempt, Point point) throws RemoteFailure, StepRefusal {
        StepRecord.Builder line = attempt.line(point.position(), StepRecord.Kind.ROLLBACK, point.step().step().id())
                .before(point.captured());
        try {
            point.step().rollback(attempt.shell(), point.captured());
            StepState now = point.step().probe(attempt.shell());
            boolean restored = now.equals(point.captured());
            points.mark(point.taskId(), point.position(),
                    restored ? RollbackPoints.State.ROLLED_BACK : RollbackPoints.State.ROLLBACK_FAILED);
            attempt.add(line.after(now).detail(restored ? null : "the state after rollback differs from the captured one")
                    .end(restored ? StepOutcome.ROLLED_BACK : StepOutcome.ROLLBACK_MISMATCH));
            return restored;
        } catch (StepRefusal refusal) {
            attempt.add(line.detail(refusal.getMessage()).end(StepOutcome.refused(refusal.kind())));
            throw refusal;
        } catch (RemoteFailure failure) {
            points.mark(point.taskId(), point.position(), RollbackPoints.State.ROLLBACK_FAILED);
            attempt.add(line.detail(failure.getMessage()).output(failure.result()).end(StepOutcome.ROLLBACK_FAILED));
            throw failure;
        }
    }
}
