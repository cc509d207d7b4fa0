package dev.ballast.rollout;

import java.util.ArrayList;
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

    /** The host's row has one line: the whole drift is in the host's view. */
    private static final int WHY_MAX = 400;

    private final PendingRestarts pendingRestarts;

    CheckRun(PendingRestarts pendingRestarts) {
        this.pendingRestarts = pendingRestarts;
    }

    TaskOutcome run(HostAttempt attempt) throws RemoteFailure {
        Plan plan = attempt.rollout().plan();
        boolean drifted = false;
        boolean pending = false;
        List<String> found = new ArrayList<>();
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
                    found.add(id + ": " + String.join(", ", drift.stream().map(CheckRun::said).toList()));
                    attempt.add(line.end(StepOutcome.DRIFTED));
                    continue;
                }
                List<PendingRestart> waiting = step.pendingRestart(attempt.shell(), current);
                pendingRestarts.saw(attempt.task().host(), id, waiting);
                pending |= !waiting.isEmpty();
                if (!waiting.isEmpty()) {
                    found.add(id + ": " + String.join(", ", waiting.stream().map(PendingRestart::label).toList()) + " wait for a cold start");
                }
                attempt.add(waiting.isEmpty() ? line.end(StepOutcome.COMPLIANT) : line.detail("configured; " + PendingRestart.COLD_START_NOTE + ": "
                        + String.join(", ", waiting.stream().map(PendingRestart::label).toList()) + " still run the old configuration")
                        .end(StepOutcome.PENDING_RESTART));
            } catch (StepRefusal refusal) {
                attempt.add(line.detail(refusal.getMessage()).end(StepOutcome.NOT_APPLICABLE));
            }
        }
        String why = String.join("; ", found);
        return TaskOutcome.ended(drifted ? TaskState.DRIFTED : pending ? TaskState.PENDING_RESTART : TaskState.COMPLIANT,
                why.isEmpty() ? null : why.length() > WHY_MAX ? why.substring(0, WHY_MAX - 3) + "..." : why);
    }

    /** "scheduler mq-deadline (plan: none)"; a value too long for a line (a domain's XML) is only named. */
    private static String said(Drift drift) {
        boolean inLine = drift.actual() != null && drift.desired() != null && !drift.actual().contains("\n")
                && !drift.desired().contains("\n") && drift.actual().length() + drift.desired().length() <= 80;
        return inLine ? drift.fact() + " " + drift.actual() + " (plan: " + drift.desired() + ")" : drift.fact() + " differs";
    }
}
