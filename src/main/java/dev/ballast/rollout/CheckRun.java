package dev.ballast.rollout;

import java.util.List;

import dev.ballast.catalog.Drift;
import dev.ballast.catalog.PendingRestart;
import dev.ballast.catalog.StepRefusal;
import dev.ballast.catalog.StepState;
import dev.ballast.catalog.TuningStep;
import dev.ballast.plan.Plan;
import dev.ballast.queue.TaskState;
import dev.ballast.remote.RemoteFailure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Check mode on one host: every step probed, nothing changed. The host is DRIFTED when a step's
 * configuration is not what it wants, PENDING_RESTART when every configuration is right but some
 * running guest still uses the old one, COMPLIANT otherwise.
 */
@ApplicationScoped
class CheckRun {

    private final PendingRestarts pendingRestarts;

    CheckRun(PendingRestarts pendingRestarts) {
        this.pendingRestarts = pendingRestarts;
    }

    TaskOutcome run(HostAttempt attempt) throws RemoteFailure {
        Plan plan = attempt.rollout().plan();
        boolean drifted = false;
        boolean pending = false;
        for (int i = 0; i < plan.steps().size(); i++) {
            TuningStep.Configured<?> step = attempt.rollout().steps().get(i);
            String id = plan.steps().get(i).id();
            StepRecord.Builder line = attempt.line(i, StepRecord.Kind.STEP, id);
            try {
                StepState current = step.probe(attempt.shell());
                List<Drift> drift = step.drift(current);
                line.before(current).drift(drift);
                if (!drift.isEmpty()) {
                    drifted = true;
                    attempt.add(line.end(StepOutcome.DRIFTED));
                    continue;
                }
                List<PendingRestart> waiting = step.pendingRestart(attempt.shell(), current);
                pendingRestarts.saw(attempt.task().host(), id, waiting);
                pending |= !waiting.isEmpty();
                attempt.add(waiting.isEmpty() ? line.end(StepOutcome.COMPLIANT) : line.detail("configured; " + PendingRestart.COLD_START_NOTE + ": "
                        + String.join(", ", waiting.stream().map(PendingRestart::label).toList()) + " still run the old configuration")
                        .end(StepOutcome.PENDING_RESTART));
            } catch (StepRefusal refusal) {
                attempt.add(line.detail(refusal.getMessage()).end(StepOutcome.NOT_APPLICABLE));
            }
        }
        return TaskOutcome.ended(drifted ? TaskState.DRIFTED : pending ? TaskState.PENDING_RESTART : TaskState.COMPLIANT);
    }
}
