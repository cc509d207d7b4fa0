package dev.ballast.rollout;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.ballast.catalog.CheckResult;
import dev.ballast.catalog.Drift;
import dev.ballast.catalog.PreflightCheck;
import dev.ballast.catalog.StepRefusal;
import dev.ballast.catalog.StepState;
import dev.ballast.catalog.TuningStep;
import dev.ballast.catalog.Verification;
import dev.ballast.inventory.HostName;
import dev.ballast.inventory.Inventory;
import dev.ballast.plan.Plan;
import dev.ballast.queue.Claimed;
import dev.ballast.queue.TaskState;
import dev.ballast.remote.CommandResult;
import dev.ballast.inventory.HostConnections;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.SshSession;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs one host task over one connection: preflight checks, then for each step probe, rollback point
 * (committed before apply), apply, verify. The first failure rolls the host's applied steps back in
 * reverse order. Check mode probes only. Never throws: every outcome becomes the task's end state.
 */
@ApplicationScoped
class HostTaskRunner implements dev.ballast.queue.TaskHandler {

    private static final Logger LOG = Logger.getLogger(HostTaskRunner.class);

    private final RolloutPlans plans;
    private final Inventory inventory;
    private final HostConnections connections;
    private final RollbackPoints rollbackPoints;
    private final ResultWriter writer;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ballast-host-timeout");
        thread.setDaemon(true);
        return thread;
    });

    HostTaskRunner(RolloutPlans plans, Inventory inventory, HostConnections connections,
            RollbackPoints rollbackPoints, ResultWriter writer) {
        this.plans = plans;
        this.inventory = inventory;
        this.connections = connections;
        this.rollbackPoints = rollbackPoints;
        this.writer = writer;
    }

    /** A step this attempt changed (or found changed by an earlier attempt), with the state to restore. */
    private record Applied(int position, TuningStep.Configured<?> step, StepState captured) {
    }

    /** Worker threads have no request: the inventory's reads need a context of their own. */
    @Override
    @ActivateRequestContext
    public void run(Claimed task, String instance) {
        List<StepRecord> records = new ArrayList<>();
        TaskState state;
        String errorKind = null;
        String error = null;
        try {
            RolloutPlans.RolloutPlan rollout = plans.of(task.rolloutId());
            // Maintenance or a quarantine may have begun after the rollout was planned. A rollback an operator
            // asked for runs in maintenance too: that is when hosts get repaired.
            Inventory.HostTarget host = inventory.target(new HostName(task.host()));
            if (host.maintenance() && rollout.mode() != Mode.ROLLBACK || host.quarantine() != null) {
                state = TaskState.SKIPPED;
                error = host.maintenance() ? "in maintenance" : "quarantined: its host key changed";
            } else {
                try (SshSession shell = connections.open(host)) {
                    // The plan's hostTimeout bounds the whole task: past it the connection is cut, so the
                    // next command fails and the host ends FAILED with TIMEOUT instead of holding a worker.
                    AtomicBoolean overran = new AtomicBoolean();
                    ScheduledFuture<?> deadline = timer.schedule(() -> {
                        overran.set(true);
                        shell.close();
                    }, rollout.plan().hostTimeoutSeconds(), TimeUnit.SECONDS);
                    try {
                        Outcome outcome = switch (rollout.mode()) {
                            case CHECK -> check(shell, task, rollout, records);
                            case APPLY -> apply(shell, task, rollout, records);
                            case ROLLBACK -> restore(shell, task, rollout, records);
                        };
                        state = outcome.state();
                        errorKind = overran.get() ? RemoteFailure.Kind.TIMEOUT.name() : outcome.errorKind();
                        error = overran.get() ? "the host took longer than the plan's hostTimeout of "
                                + rollout.plan().hostTimeoutSeconds() + " s; " + outcome.error() : outcome.error();
                    } catch (RemoteFailure failure) {
                        if (!overran.get()) {
                            throw failure;
                        }
                        state = TaskState.FAILED;
                        errorKind = RemoteFailure.Kind.TIMEOUT.name();
                        error = "the host took longer than the plan's hostTimeout of " + rollout.plan().hostTimeoutSeconds() + " s";
                    } finally {
                        deadline.cancel(false);
                    }
                }
            }
        } catch (RemoteFailure failure) {
            state = TaskState.FAILED;
            errorKind = failure.kind().name();
            error = failure.getMessage();
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "Host task %d (%s) failed inside Ballast", task.taskId(), task.host());
            state = TaskState.FAILED;
            errorKind = "INTERNAL";
            error = String.valueOf(e.getMessage());
        }
        writer.submit(new ResultWriter.Completion(task.taskId(), instance, state, errorKind, error, records));
    }

    private record Outcome(TaskState state, String errorKind, String error) {
    }

    private Outcome check(SshSession shell, Claimed task, RolloutPlans.RolloutPlan rollout, List<StepRecord> records)
            throws RemoteFailure {
        Plan plan = rollout.plan();
        boolean drifted = false;
        for (int i = 0; i < plan.steps().size(); i++) {
            Plan.Entry entry = plan.steps().get(i);
            TuningStep.Configured<?> step = rollout.steps().get(i);
            long started = System.nanoTime();
            try {
                StepState current = step.probe(shell);
                List<Drift> drift = step.drift(current);
                drifted |= !drift.isEmpty();
                records.add(record(task, i, "STEP", entry.id(), drift.isEmpty() ? "COMPLIANT" : "DRIFTED",
                        current, null, drift, null, null, started));
            } catch (StepRefusal refusal) {
                records.add(record(task, i, "STEP", entry.id(), "NOT_APPLICABLE", null, null, null, refusal.getMessage(),
                        null, started));
            }
        }
        return new Outcome(drifted ? TaskState.DRIFTED : TaskState.COMPLIANT, null, null);
    }

    private Outcome apply(SshSession shell, Claimed task, RolloutPlans.RolloutPlan rollout, List<StepRecord> records)
            throws RemoteFailure, SQLException {
        Plan plan = rollout.plan();
        Map<Integer, CheckResult> baseline = new HashMap<>();
        Outcome preflight = preflight(shell, task, rollout, records, baseline);
        if (preflight != null) {
            return preflight;
        }
        Deque<Applied> applied = new ArrayDeque<>();
        boolean changed = false;
        Outcome failure = null;
        for (int i = 0; i < plan.steps().size() && failure == null; i++) {
            Plan.Entry entry = plan.steps().get(i);
            TuningStep.Configured<?> step = rollout.steps().get(i);
            long started = System.nanoTime();
            StepState before = null;
            try {
                before = step.probe(shell);
                // Only a later attempt can find a point an earlier one captured: the first skips the lookup.
                Optional<StepState> earlier = task.attempt() > 1 ? rollbackPoints.find(task.taskId(), i) : Optional.empty();
                if (step.drift(before).isEmpty()) {
                    if (earlier.isPresent()) {
                        // An earlier attempt applied this step and died before recording it.
                        applied.push(new Applied(i, step, earlier.get()));
                        changed = true;
                        records.add(record(task, i, "STEP", entry.id(), "APPLIED", earlier.get(), before, null,
                                "applied by an earlier attempt that ended before recording it", null, started));
                    } else {
                        records.add(record(task, i, "STEP", entry.id(), "ALREADY_COMPLIANT", before, before, null, null,
                                null, started));
                    }
                    continue;
                }
                StepState captured = rollbackPoints.capture(task.taskId(), task.rolloutId(), task.host(), i, entry.id(),
                        entry.params(), earlier.orElse(before));
                applied.push(new Applied(i, step, captured));
                changed = true;
                step.apply(shell, before);
                Verification verification = step.verify(shell);
                StepState after = verification.observed();
                boolean passed = verification.passed(step.step().effect());
                records.add(record(task, i, "STEP", entry.id(), passed ? "APPLIED" : "VERIFY_FAILED", before, after,
                        verification.remaining(), verification.note(), null, started));
                if (!passed) {
                    failure = new Outcome(TaskState.FAILED, "VERIFY_FAILED", entry.id() + ": " + verification.note());
                }
            } catch (StepRefusal refusal) {
                records.add(record(task, i, "STEP", entry.id(), "REFUSED_" + refusal.kind(), before, null, null,
                        refusal.getMessage(), null, started));
                failure = new Outcome(TaskState.FAILED, "REFUSED_" + refusal.kind(), entry.id() + ": " + refusal.getMessage());
            } catch (RemoteFailure remote) {
                records.add(record(task, i, "STEP", entry.id(), "FAILED", before, null, null, remote.getMessage(),
                        remote.result(), started));
                if (remote.kind() != RemoteFailure.Kind.COMMAND_FAILED) {
                    // The connection is gone: no rollback can run now; the rollback points stay for one later.
                    return new Outcome(TaskState.FAILED, remote.kind().name(), entry.id() + ": " + remote.getMessage());
                }
                failure = new Outcome(TaskState.FAILED, remote.kind().name(), entry.id() + ": " + remote.getMessage());
            }
        }
        if (failure == null && changed) {
            failure = healthGate(shell, task, rollout, records, baseline);
        }
        if (failure == null) {
            return new Outcome(changed ? TaskState.SUCCEEDED : TaskState.ALREADY_COMPLIANT, null, null);
        }
        return rollBack(shell, task, applied, records, failure);
    }

    /**
     * With {@code waves.fioMaxDropPercent}, the host's fio-baseline check runs again after its steps: IOPS
     * more than that percentage below the preflight measurement fail the host, which is then rolled back.
     */
    private Outcome healthGate(SshSession shell, Claimed task, RolloutPlans.RolloutPlan rollout, List<StepRecord> records,
            Map<Integer, CheckResult> baseline) throws RemoteFailure {
        Plan plan = rollout.plan();
        Integer maxDrop = plan.waves().fioMaxDropPercent();
        int position = fioBaselinePosition(plan);
        if (maxDrop == null || position < 0) {
            return null;
        }
        Plan.Entry entry = plan.preflight().get(position);
        long started = System.nanoTime();
        CheckResult after = rollout.checks().get(position).run(shell);
        double before = iops(baseline.get(position));
        double now = iops(after);
        boolean healthy = before > 0 && now >= before * (100 - maxDrop) / 100.0;
        String detail = String.format(java.util.Locale.ROOT, "iops=%.0f after the steps, %.0f before; at most %d%% less allowed",
                now, before, maxDrop);
        records.add(record(task, position, "CHECK", "health:" + entry.id(), healthy ? "PASSED" : "FAILED", null, null, null,
                detail, null, started));
        return healthy ? null : new Outcome(TaskState.FAILED, "HEALTH_GATE", "fio after the steps: " + detail);
    }

    private static int fioBaselinePosition(Plan plan) {
        for (int i = 0; i < plan.preflight().size(); i++) {
            if (plan.preflight().get(i).id().equals("fio-baseline")) {
                return i;
            }
        }
        return -1;
    }

    private static double iops(CheckResult fio) {
        return fio == null || !fio.figures().containsKey("iops") ? 0 : Double.parseDouble(fio.figures().get("iops"));
    }

    private Outcome preflight(SshSession shell, Claimed task, RolloutPlans.RolloutPlan rollout, List<StepRecord> records,
            Map<Integer, CheckResult> results) throws RemoteFailure {
        Plan plan = rollout.plan();
        for (int i = 0; i < plan.preflight().size(); i++) {
            Plan.Entry entry = plan.preflight().get(i);
            PreflightCheck.Configured<?> check = rollout.checks().get(i);
            long started = System.nanoTime();
            CheckResult result = check.run(shell);
            results.put(i, result);
            records.add(record(task, i, "CHECK", entry.id(), result.status().name(), null, null, null,
                    result.message() + (result.observed() == null ? "" : " (observed " + result.observed() + ", expected "
                            + result.expected() + ")") + figures(result), null, started));
            if (result.status() == CheckResult.Status.FAILED) {
                return new Outcome(TaskState.FAILED, "PREFLIGHT_FAILED", entry.id() + ": " + result.message());
            }
        }
        return null;
    }

    private static String figures(CheckResult result) {
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(result.figures()).forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
        return text.toString();
    }

    /**
     * A host's rollback from the web: restores the points another rollout captured on it, last applied
     * first, each verified against the captured state. The first step that refuses (a thin pool that now
     * holds volumes) or fails stops it, so what lies beneath stays as that step expects.
     */
    private Outcome restore(SshSession shell, Claimed task, RolloutPlans.RolloutPlan rollout, List<StepRecord> records)
            throws SQLException {
        for (RollbackPoints.Captured point : rollbackPoints.unrestored(rollout.rollsBack(), task.host())) {
            TuningStep.Configured<?> step = rollout.steps().get(point.position());
            long started = System.nanoTime();
            try {
                if (!undo(shell, task, point.taskId(), point.position(), step, point.captured(), records)) {
                    return new Outcome(TaskState.FAILED, "ROLLBACK_MISMATCH", point.step()
                            + ": the state after rollback differs from the captured one");
                }
            } catch (StepRefusal refusal) {
                records.add(record(task, point.position(), "ROLLBACK", point.step(), "REFUSED_" + refusal.kind(), point.captured(),
                        null, null, refusal.getMessage(), null, started));
                return new Outcome(TaskState.FAILED, "REFUSED_" + refusal.kind(), point.step() + ": " + refusal.getMessage());
            } catch (RemoteFailure failure) {
                rollbackPoints.mark(point.taskId(), point.position(), RollbackPoints.State.ROLLBACK_FAILED);
                records.add(record(task, point.position(), "ROLLBACK", point.step(), "ROLLBACK_FAILED", point.captured(), null,
                        null, failure.getMessage(), failure.result(), started));
                return new Outcome(TaskState.FAILED, failure.kind().name(), point.step() + ": " + failure.getMessage());
            }
        }
        return new Outcome(TaskState.SUCCEEDED, null, null);
    }

    /** Undoes this host's applied steps, last first; ROLLED_BACK only if every one was restored. */
    private Outcome rollBack(SshSession shell, Claimed task, Deque<Applied> applied, List<StepRecord> records,
            Outcome failure) throws SQLException {
        boolean allRestored = true;
        for (Applied step : applied) {
            long started = System.nanoTime();
            String name = step.step().step().id();
            try {
                allRestored &= undo(shell, task, task.taskId(), step.position(), step.step(), step.captured(), records);
            } catch (RemoteFailure | StepRefusal e) {
                allRestored = false;
                rollbackPoints.mark(task.taskId(), step.position(), RollbackPoints.State.ROLLBACK_FAILED);
                records.add(record(task, step.position(), "ROLLBACK", name, "ROLLBACK_FAILED", step.captured(), null, null,
                        e.getMessage(), e instanceof RemoteFailure r ? r.result() : null, started));
            }
        }
        return allRestored ? new Outcome(TaskState.ROLLED_BACK, failure.errorKind(), failure.error())
                : new Outcome(TaskState.FAILED, failure.errorKind(), failure.error() + "; rollback incomplete");
    }

    /**
     * Puts one captured state back and probes: restored only if the host now equals the captured state.
     * Marks the rollback point (of the task that captured it) and records the step; what the step throws
     * is the caller's to handle.
     */
    private boolean undo(SshSession shell, Claimed task, long pointTask, int position, TuningStep.Configured<?> step,
            StepState captured, List<StepRecord> records) throws RemoteFailure, StepRefusal, SQLException {
        long started = System.nanoTime();
        step.rollback(shell, captured);
        StepState now = step.probe(shell);
        boolean restored = now.equals(captured);
        rollbackPoints.mark(pointTask, position, restored ? RollbackPoints.State.ROLLED_BACK : RollbackPoints.State.ROLLBACK_FAILED);
        records.add(record(task, position, "ROLLBACK", step.step().id(), restored ? "ROLLED_BACK" : "ROLLBACK_MISMATCH", captured,
                now, null, restored ? null : "the state after rollback differs from the captured one", null, started));
        return restored;
    }

    private static StepRecord record(Claimed task, int position, String kind, String name, String outcome, StepState before,
            StepState after, List<Drift> drift, String detail, CommandResult command, long startedNanos) {
        String output = command == null ? null : (command.stdout() + (command.stderr().isEmpty() ? "" : "\n[stderr]\n"
                + command.stderr()) + (command.truncated() ? "\n[truncated]" : ""));
        return new StepRecord(task.attempt(), position, kind, name, outcome, before == null ? null : before.redacted().facts(),
                after == null ? null : after.redacted().facts(), drift, detail, output,
                command == null ? null : command.exitCode(), (System.nanoTime() - startedNanos) / 1_000_000);
    }
}
