package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.ballast.inventory.HostConnections;
import dev.ballast.inventory.HostName;
import dev.ballast.inventory.Inventory;
import dev.ballast.queue.Claimed;
import dev.ballast.queue.TaskHandler;
import dev.ballast.queue.TaskState;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.SshSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

/**
 * Runs one claimed host task in the mode of its rollout: {@link ApplyRun}, {@link CheckRun} or
 * {@link RestoreRun}. Owns what every mode shares: the host's maintenance and quarantine, the
 * connection, the plan's per-host deadline, reconnecting to roll back changes a broken connection left
 * behind, and turning every failure into the task's end. Never throws.
 */
@ApplicationScoped
class HostTaskRunner implements TaskHandler {

    private static final Logger LOG = Logger.getLogger(HostTaskRunner.class);

    /** Tries to reach a host again after its connection broke with changes on it, and the waits between them. */
    static final long[] RECONNECT_WAITS_MILLIS = {0, 1000, 3000};

    private final RolloutPlans plans;
    private final Inventory inventory;
    private final HostConnections connections;
    private final ResultWriter writer;
    private final ApplyRun apply;
    private final CheckRun check;
    private final RestoreRun restore;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ballast-host-timeout");
        thread.setDaemon(true);
        return thread;
    });

    HostTaskRunner(RolloutPlans plans, Inventory inventory, HostConnections connections, ResultWriter writer, ApplyRun apply,
            CheckRun check, RestoreRun restore) {
        this.plans = plans;
        this.inventory = inventory;
        this.connections = connections;
        this.writer = writer;
        this.apply = apply;
        this.check = check;
        this.restore = restore;
    }

    /** Worker threads have no request: the inventory's reads need a context of their own. */
    @Override
    @ActivateRequestContext
    public void run(Claimed task, String instance) {
        HostAttempt.Lines lines = new HostAttempt.Lines(writer, task.taskId(), instance);
        TaskOutcome outcome;
        try {
            outcome = runOnHost(task, plans.of(task.rolloutId()), lines);
        } catch (RemoteFailure failure) {
            outcome = TaskOutcome.failed(ErrorKind.of(failure.kind()), failure.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Host task %d (%s) failed inside Ballast", task.taskId(), task.host());
            outcome = TaskOutcome.failed(ErrorKind.INTERNAL, String.valueOf(e.getMessage()));
        }
        writer.submit(new ResultWriter.Completion(task.taskId(), instance, outcome, lines.unwritten()));
    }

    private TaskOutcome runOnHost(Claimed task, RolloutPlans.RolloutPlan rollout, HostAttempt.Lines lines) throws RemoteFailure {
        // Maintenance or a quarantine may have begun after the rollout was planned. A rollback an operator
        // asked for runs in maintenance too: that is when hosts get repaired.
        Inventory.HostTarget host = inventory.target(new HostName(task.host()));
        if (host.maintenance() && rollout.mode() != Mode.ROLLBACK || host.quarantine() != null) {
            return new TaskOutcome(TaskState.SKIPPED, null, host.maintenance() ? "in maintenance" : "quarantined: its host key changed");
        }
        try {
            return onSession(host, rollout, shell -> {
                HostAttempt attempt = new HostAttempt(shell, task, rollout, lines);
                return switch (rollout.mode()) {
                    case CHECK -> check.run(attempt);
                    case APPLY -> apply.run(attempt);
                    case ROLLBACK -> restore.run(attempt);
                };
            });
        } catch (ChangesLeft left) {
            return reconnectAndRollBack(host, new HostAttempt(null, task, rollout, lines), left);
        }
    }

    /**
     * The connection broke with changes on the host: reach it again (a few times, a little apart) and roll
     * them back. If it cannot be reached, the task says which changes wait in their rollback points.
     */
    private TaskOutcome reconnectAndRollBack(Inventory.HostTarget host, HostAttempt broken, ChangesLeft left) {
        String lastTry = "";
        for (long wait : RECONNECT_WAITS_MILLIS) {
            try {
                Thread.sleep(wait);
                TaskOutcome rolledBack = onSession(host, broken.rollout(),
                        shell -> apply.rollBack(broken.on(shell), left.applied(), left.failure()));
                LOG.infof("Host %s: reconnected after its connection broke to roll back %d steps: %s", host.name(),
                        left.applied().size(), rolledBack.state());
                return new TaskOutcome(rolledBack.state(), rolledBack.errorKind(), rolledBack.error() + " (after reconnecting)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RemoteFailure | ChangesLeft e) {
                lastTry = e.getMessage();
            }
        }
        List<String> waiting = left.applied().stream().map(StepUndo.Point::name).toList();
        LOG.warnf("Host %s is changed and not rolled back (%s): it could not be reached again (%s)", host.name(), waiting, lastTry);
        return TaskOutcome.failed(left.failure().errorKind(), left.failure().error() + "; changed and not rolled back: "
                + String.join(", ", waiting) + " wait in their rollback points (the host could not be reached again: " + lastTry
                + "); roll it back from the web when it is back");
    }

    private interface OnSession {
        TaskOutcome run(SshSession shell) throws RemoteFailure, ChangesLeft;
    }

    /**
     * Runs the work over a new session under the plan's hostTimeout: past it the connection is cut, so the
     * next command fails and the host ends with TIMEOUT instead of holding a worker.
     */
    private TaskOutcome onSession(Inventory.HostTarget host, RolloutPlans.RolloutPlan rollout, OnSession work)
            throws RemoteFailure, ChangesLeft {
        try (SshSession shell = connections.open(host)) {
            long timeout = rollout.plan().hostTimeoutSeconds();
            AtomicBoolean overran = new AtomicBoolean();
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                overran.set(true);
                shell.close();
            }, timeout, TimeUnit.SECONDS);
            String overrun = "the host took longer than the plan's hostTimeout of " + timeout + " s";
            try {
                TaskOutcome outcome = work.run(shell);
                return overran.get() ? new TaskOutcome(outcome.state(), ErrorKind.TIMEOUT, overrun + "; " + outcome.error()) : outcome;
            } catch (RemoteFailure failure) {
                if (!overran.get()) {
                    throw failure;
                }
                return TaskOutcome.failed(ErrorKind.TIMEOUT, overrun);
            } catch (ChangesLeft left) {
                if (!overran.get()) {
                    throw left;
                }
                throw new ChangesLeft(TaskOutcome.failed(ErrorKind.TIMEOUT, overrun), left.applied());
            } finally {
                deadline.cancel(false);
            }
        }
    }
}
