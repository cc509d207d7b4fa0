package dev.ballast.rollout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.ballast.catalog.CheckResult;
import dev.ballast.catalog.DomainLog;
import dev.ballast.catalog.PreflightCheck;
import dev.ballast.catalog.RestorePoint;
import dev.ballast.catalog.StepRefusal;
import dev.ballast.catalog.StepState;
import dev.ballast.catalog.TuningStep;
import dev.ballast.catalog.Verification;
import dev.ballast.plan.Plan;
import dev.ballast.queue.Claimed;
import dev.ballast.queue.TaskState;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Apply mode on one host: preflight checks, then for each step probe, rollback point (committed before
 * apply), apply, verify; then the health gate. The first failure rolls the host's applied steps back in
 * reverse order.
 */
@ApplicationScoped
class ApplyRun {

    private final RollbackPoints points;
    private final StepUndo undo;
    private final ResultWriter writer;
    private final PendingRestarts pendingRestarts;

    ApplyRun(RollbackPoints points, StepUndo undo, ResultWriter writer, PendingRestarts pendingRestarts) {
        this.points = points;
        this.undo = undo;
        this.writer = writer;
        this.pendingRestarts = pendingRestarts;
    }

    /** Throws {@link ChangesLeft} when the connection broke after a step changed the host. */
    TaskOutcome run(HostAttempt attempt) throws RemoteFailure, ChangesLeft {
        Map<Integer, CheckResult> baseline = new HashMap<>();
        TaskOutcome failure = preflight(attempt, baseline);
        if (failure != null) {
            return failure;
        }
        Deque<StepUndo.Point> applied = new ArrayDeque<>();
        try {
            for (int i = 0; i < attempt.rollout().steps().size() && failure == null; i++) {
                failure = step(attempt, i, applied);
            }
            if (failure == null && !applied.isEmpty()) {
                failure = HealthGate.judge(attempt, baseline);
            }
        } catch (RemoteFailure broke) {
            TaskOutcome failed = TaskOutcome.failed(ErrorKind.of(broke.kind()), broke.getMessage());
            if (applied.isEmpty()) {
                return failed;
            }
            if (broke.kind() == RemoteFailure.Kind.COMMAND_FAILED) {
                return rollBack(attempt, List.copyOf(applied), failed);
            }
            throw new ChangesLeft(failed, List.copyOf(applied));
        }
        if (failure == null) {
            return TaskOutcome.ended(applied.isEmpty() ? TaskState.ALREADY_COMPLIANT : TaskState.SUCCEEDED);
        }
        return rollBack(attempt, List.copyOf(applied), failure);
    }

    /** Undoes this host's applied steps, last first, all of them that can be (see {@link RollbackRun}). */
    TaskOutcome rollBack(HostAttempt attempt, List<StepUndo.Point> applied, TaskOutcome failure) {
        return RollbackRun.restore(undo, attempt, applied, failure);
    }

    private static TaskOutcome preflight(HostAttempt attempt, Map<Integer, CheckResult> results) throws RemoteFailure {
        Plan plan = attempt.rollout().plan();
        for (int i = 0; i < plan.preflight().size(); i++) {
            Plan.Entry entry = plan.preflight().get(i);
            StepRecord.Builder line = attempt.line(i, StepRecord.Kind.CHECK, entry.id());
            PreflightCheck.Configured<?> check = attempt.rollout().checks().get(i);
            CheckResult result = check.run(attempt.shell());
            results.put(i, result);
            boolean failed = result.status() == CheckResult.Status.FAILED;
            List<DomainLog> logs = failed ? Diagnostics.read(() -> check.diagnose(attempt.shell())) : List.of();
            attempt.add(line.detail(result.message() + (result.observed() == null ? "" : " (observed " + result.observed()
                    + ", expected " + result.expected() + ")") + figures(result)).domainLogs(logs).end(StepOutcome.of(result.status())));
            if (failed) {
                return TaskOutcome.failed(ErrorKind.PREFLIGHT_FAILED, entry.id() + ": " + result.message() + Diagnostics.why(logs));
            }
        }
        return null;
    }

    private static String figures(CheckResult result) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(result.figures()).forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
        return text.toString();
    }

    /**
     * Probes, captures, applies and verifies one step; null when it passed or was compliant already. A
     * connection that broke is thrown on, with the step's name in its message.
     */
    private TaskOutcome step(HostAttempt attempt, int i, Deque<StepUndo.Point> applied) throws RemoteFailure {
        Plan.Entry entry = attempt.rollout().plan().steps().get(i);
        TuningStep.Configured<?> step = attempt.rollout().steps().get(i);
        Claimed task = attempt.task();
        StepRecord.Builder line = attempt.line(i, StepRecord.Kind.STEP, entry.id());
        try {
            StepState before = step.probe(attempt.shell());
            line.before(before);
            // Only a later attempt can find a point an earlier one captured: the first skips the lookup.
            Optional<RollbackPoints.Captured> earlier = task.attempt() > 1 ? points.find(task.taskId(), i) : Optional.empty();
            if (step.drift(before).isEmpty()) {
                if (earlier.isPresent()) {
                    // An earlier attempt applied this step and died: its change is this task's, to roll back with the
                    // rest. Recorded once: here only if the earlier attempt died before its line was written.
                    applied.push(new StepUndo.Point(task.taskId(), i, step, new RestorePoint(earlier.get().captured(),
                            earlier.get().applied(), false)));
                    boolean recorded = writer.appliedEarlier(task, i);
                    attempt.add(line.before(earlier.get().captured()).after(before).detail(recorded ? "applied by an earlier attempt"
                            : "applied by an earlier attempt that ended before recording it")
                            .end(recorded ? StepOutcome.ALREADY_COMPLIANT : StepOutcome.APPLIED));
                } else {
                    attempt.add(line.after(before).end(StepOutcome.ALREADY_COMPLIANT));
                }
                return null;
            }
            StepState captured = points.capture(new RollbackPoints.Capture(task.taskId(), task.rolloutId(), task.host(), i, entry.id(),
                    entry.params()), earlier.map(RollbackPoints.Captured::captured).orElse(before));
            applied.push(new StepUndo.Point(task.taskId(), i, step, RestorePoint.of(captured)));
            attempt.flush();
            step.apply(attempt.shell(), before);
            Verification verification = step.verify(attempt.shell());
            // What Ballast left: a later rollback tells edits others made since from it.
            points.applied(task.taskId(), i, verification.observed());
            applied.pop();
            applied.push(new StepUndo.Point(task.taskId(), i, step, new RestorePoint(captured, verification.observed(), false)));
            boolean passed = verification.passed(step.effect());
            if (verification.applied()) {
                pendingRestarts.saw(task.host(), entry.id(), verification.pendingRestart());
            }
            List<DomainLog> logs = passed || !verification.domainLogs().isEmpty() ? verification.domainLogs()
                    : Diagnostics.read(() -> step.diagnose(attempt.shell()));
            attempt.add(line.after(verification.observed()).drift(verification.remaining()).detail(verification.note())
                    .domainLogs(logs).end(passed ? StepOutcome.APPLIED : StepOutcome.VERIFY_FAILED));
            return passed ? null : TaskOutcome.failed(ErrorKind.VERIFY_FAILED, entry.id() + ": " + verification.note()
                    + Diagnostics.why(logs));
        } catch (StepRefusal refusal) {
            List<DomainLog> logs = Diagnostics.read(() -> step.diagnose(attempt.shell()));
            attempt.add(line.detail(refusal.getMessage()).domainLogs(logs).end(StepOutcome.refused(refusal.kind())));
            return TaskOutcome.failed(ErrorKind.refused(refusal.kind()), entry.id() + ": " + refusal.getMessage()
                    + Diagnostics.why(logs));
        } catch (RemoteFailure remote) {
            if (remote.kind() != RemoteFailure.Kind.COMMAND_FAILED) {
                attempt.add(line.detail(remote.getMessage()).output(remote.result()).end(StepOutcome.FAILED));
                throw new RemoteFailure(remote.kind(), entry.id() + ": " + remote.getMessage(), remote);
            }
            List<DomainLog> logs = Diagnostics.read(() -> step.diagnose(attempt.shell()));
            attempt.add(line.detail(remote.getMessage()).output(remote.result()).domainLogs(logs).end(StepOutcome.FAILED));
            return TaskOutcome.failed(ErrorKind.COMMAND_FAILED, entry.id() + ": " + remote.getMessage() + Diagnostics.why(logs));
        }
    }

}
