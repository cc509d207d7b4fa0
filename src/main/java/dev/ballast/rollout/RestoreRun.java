package dev.ballast.rollout;

import dev.ballast.catalog.RestorePoint;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A host's rollback from the web: restores the points another rollout captured on it and nobody has
 * restored, last applied first, each verified against the captured state (see {@link RollbackRun}).
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
        return RollbackRun.restore(undo, attempt, points.unrestored(attempt.rollout().rollsBack(), attempt.task().host()).stream()
                .map(p -> new StepUndo.Point(p.taskId(), p.position(), attempt.rollout().steps().get(p.position()),
                        new RestorePoint(p.captured(), p.applied(), attempt.rollout().forced())))
                .toList(), null);
    }
}
