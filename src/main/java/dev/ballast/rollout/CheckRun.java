package dev.ballast.rollout;

import java.util.List;

import dev.ballast.catalog.Drift;
import dev.ballast.catalog.StepRefusal;
import dev.ballast.catalog.StepState;
import dev.ballast.catalog.TuningStep;
import dev.ballast.plan.Plan;
import dev.ballast.queue.TaskState;
import dev.ballast.remote.RemoteFailure;
import jakarta.enterprise.context.ApplicationScoped;

/** Check mode on one host: every step probed, nothing changed; the host is COMPLIANT or DRIFTED. */
@ApplicationScoped
class CheckRun {

    TaskOutcome run(HostAttempt attempt) throws RemoteFailure {
        Plan plan = attempt.rollout().plan();
        boolean drifted = false;
        for (int i = 0; i < plan.steps().size(); i++) {
            TuningStep.Configured<?> step = attempt.rollout().steps().get(i);
            StepRecord.Builder line = attempt.line(i, StepRecord.Kind.STEP, plan.steps().get(i).id());
            try {
                StepState current = step.probe(attempt.shell());
                List<Drift> drift = step.drift(current);
                drifted |= !drift.isEmpty();
                attempt.add(line.before(current).drift(drift).end(drift.isEmpty() ? StepOutcome.COMPLIANT : StepOutcome.DRIFTED));
            } catch (StepRefusal refusal) {
                attempt.add(line.detail(refusal.getMessage()).end(StepOutcome.NOT_APPLICABLE));
            }
        }
        return TaskOutcome.ended(drifted ? TaskState.DRIFTED : TaskState.COMPLIANT);
    }
}
