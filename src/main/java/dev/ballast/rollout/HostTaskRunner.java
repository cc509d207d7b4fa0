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
 * Runs one claimed host task over one connection, in the mode of its rollout: {@link ApplyRun},
 * {@link CheckRun} or {@link RestoreRun}. Owns what every mode shares: the host's maintenance and
 * quarantine, the connection, the plan's per-host deadline, and turning every failure into the task's
 * end. Never throws.
 */
@ApplicationScoped
class HostTaskRunner implements TaskHandler {

    private static final Logger LOG = Logger.getLogger(HostTaskRunner.class);

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
        List<StepRecord> records = new ArrayList<>();
        TaskOutcome outcome;
        try {
            outcome = runOnHost(task, plans.of(task.rolloutId()), records);
        } catch (RemoteFailure failure) {
            outcome = TaskOutcome.failed(ErrorKind.of(failure.kind()), failure.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Host task %d (%s) failed inside Ballast", task.taskId(), task.host());
            outcome = TaskOutcome.failed(ErrorKind.INTERNAL, String.valueOf(e.getMessage()));
        }
        writer.submit(new ResultWriter.Completion(task.taskId(), instance, outcome, records));
    }

    private TaskOutcome runOnHost(Claimed task, RolloutPlans.RolloutPlan rollout, List<StepRecord> records) throws RemoteFailure {
        // Maintenance or a quarantine may have begun after the rollout was planned. A rollback an operator
        // asked for runs in maintenance too: that is when hosts get repaired.
        Inventory.HostTarget host = inventory.target(new HostName(task.host()));
        if (host.maintenance() && rollout.mode() != Mode.ROLLBACK || host.quarantine() != null) {
            return new TaskOutcome(TaskState.SKIPPED, null, host.maintenance() ? "in maintenance" : "quarantined: its host key changed");
        }
        try (SshSession shell = connections.open(host)) {
            // The plan's hostTimeout bounds the whole task: past it the connection is cut, so the next
            // command fails and the host ends FAILED with TIMEOUT instead of holding a worker.
            long timeout = rollout.plan().hostTimeoutSeconds();
            AtomicBoolean overran = new AtomicBoolean();
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                overran.set(true);
                shell.close();
            }, timeout, TimeUnit.SECONDS);
            String overrun = "the host took longer than the plan's hostTimeout of " + timeout + " s";
            try {
                HostAttempt attempt = new HostAttempt(shell, task, rollout, records);
                TaskOutcome outcome = switch (rollout.mode()) {
                    case CHECK -> check.run(attempt);
                    case APPLY -> apply.run(attempt);
                    case ROLLBACK -> restore.run(attempt);
                };
                return overran.get() ? new TaskOutcome(outcome.state(), ErrorKind.TIMEOUT, overrun + "; " + outcome.error())
                        : outcome;
            } catch (RemoteFailure failure) {
                if (!overran.get()) {
                    throw failure;
                }
                return TaskOutcome.failed(ErrorKind.TIMEOUT, overrun);
            } finally {
                deadline.cancel(false);
            }
        }
    }
}
