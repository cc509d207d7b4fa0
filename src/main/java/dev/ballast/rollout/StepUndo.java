package dev.ballast.rollout;

import org.jboss.logging.Logger;

import dev.ballast.catalog.RestorePoint;
import dev.ballast.catalog.StepRefusal;
import dev.ballast.catalog.StepState;
import dev.ballast.catalog.TuningStep;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts one captured state back, for the rollback after a failure and for a rollback from the web alike:
 * the step's rollback, then a probe, restored only if the host now equals the captured state. Every
 * way it can end (restored, mismatch, refused, failed) is recorded, marked on the rollback point and
 * answered; nothing is thrown, so one step's trouble never keeps the steps before it from their rollback.
 */
@ApplicationScoped
class StepUndo {

    private static final Logger LOG = Logger.getLogger(StepUndo.class);

    /** A captured state to restore: the point that holds it and the step, bound to its parameters, that restores it. */
    record Point(long taskId, int position, TuningStep.Configured<?> step, RestorePoint restore) {

        StepState captured() {
            return restore.captured();
        }

        String name() {
            return step.step().id();
        }
    }

    /** How one restore ended; {@code kind} says why when it did not restore. */
    record Result(Point point, StepOutcome outcome, ErrorKind kind, String reason) {

        boolean restored() {
            return outcome == StepOutcome.ROLLED_BACK;
        }

        /**
         * Nothing beneath may be tried now: an irreversible refusal (what lies beneath stays as the refusing
         * step expects), or a connection that is gone (no command can run).
         */
        boolean stops() {
            return kind == ErrorKind.REFUSED_IRREVERSIBLE || outcome == StepOutcome.ROLLBACK_FAILED && kind != ErrorKind.COMMAND_FAILED
                    && kind != ErrorKind.INTERNAL;
        }

        String summary() {
            return point.name() + (restored() ? "" : " (" + reason + ")");
        }
    }

    private final RollbackPoints points;
    private final PendingRestarts pendingRestarts;

    StepUndo(RollbackPoints points, PendingRestarts pendingRestarts) {
        this.points = points;
        this.pendingRestarts = pendingRestarts;
    }

    Result undo(HostAttempt attempt, Point point) {
        StepRecord.Builder line = attempt.line(point.position(), StepRecord.Kind.ROLLBACK, point.name()).before(point.captured());
        Result result;
        try {
            point.step().rollback(attempt.shell(), point.restore());
            StepState now = point.step().probe(attempt.shell());
            line.after(now);
            pendingRestarts.forget(attempt.task().host(), point.name());
            result = now.equals(point.captured()) ? new Result(point, StepOutcome.ROLLED_BACK, null, null)
                    : new Result(point, StepOutcome.ROLLBACK_MISMATCH, ErrorKind.ROLLBACK_MISMATCH,
                            "the state after rollback differs from the captured one");
        } catch (StepRefusal refusal) {
            result = new Result(point, StepOutcome.ROLLBACK_REFUSED, ErrorKind.refused(refusal.kind()), refusal.getMessage());
        } catch (RemoteFailure failure) {
            line.output(failure.result());
            result = new Result(point, StepOutcome.ROLLBACK_FAILED, ErrorKind.of(failure.kind()), failure.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Rolling back %s on %s failed inside Ballast", point.name(), attempt.task().host());
            result = new Result(point, StepOutcome.ROLLBACK_FAILED, ErrorKind.INTERNAL, "inside Ballast: " + e.getMessage());
        }
        // A refused rollback changed nothing: its point still holds what there is to restore.
        if (result.outcome() != StepOutcome.ROLLBACK_REFUSED) {
            points.mark(point.taskId(), point.position(),
                    result.restored() ? RollbackPoints.State.ROLLED_BACK : RollbackPoints.State.ROLLBACK_FAILED);
        }
        attempt.add(line.detail(result.reason()).end(result.outcome()));
        return result;
    }
}
