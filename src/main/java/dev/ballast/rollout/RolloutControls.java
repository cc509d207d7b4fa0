package dev.ballast.rollout;

import java.util.Map;

import dev.ballast.audit.AuditLog;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.IllegalMove;
import dev.ballast.queue.TaskQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * An operator's controls of a rollout: approve, pause, resume, cancel, retry the failed hosts. Each locks
 * the rollout row (waiting for a coordinator that holds it), checks the move against the state machine,
 * makes it through the owners of the rollout, wave and task states, and is audited.
 */
@ApplicationScoped
public class RolloutControls {

    private final RolloutTransitions rollouts;
    private final WaveTransitions waves;
    private final TaskQueue tasks;
    private final RolloutPlans plans;
    private final RolloutQueries queries;
    private final AuditLog audit;

    RolloutControls(RolloutTransitions rollouts, WaveTransitions waves, TaskQueue tasks, RolloutPlans plans, RolloutQueries queries,
            AuditLog audit) {
        this.rollouts = rollouts;
        this.waves = waves;
        this.tasks = tasks;
        this.plans = plans;
        this.queries = queries;
        this.audit = audit;
    }

    /** Opens the wave that waits for approval; the plan's pause runs from here (not before a first wave). */
    @Transactional
    public RolloutView approve(long id, String actor) {
        return control(id, "approve", locked -> {
            if (locked.state() != RolloutState.AWAITING_APPROVAL) {
                throw new IllegalMove("rollout " + id + " is " + locked.state() + "; nothing waits for approval");
            }
            int wave = locked.currentWave();
            waves.approve(id, wave, actor);
            waves.open(id, wave, wave == 0 ? 0 : plans.of(id).plan().waves().pauseSeconds());
            move(locked, RolloutState.RUNNING, "approve", null);
        });
    }

    /**
     * Refuses the wave that waits for approval: the rollout is cancelled as by {@link #cancel}, and the
     * denial is recorded with the gate and the reason (no new rollout state: a denied rollout is a
     * cancelled one whose reason says who denied which wave, and why).
     */
    @Transactional
    public RolloutView deny(long id, String actor, String reason) {
        RolloutView before = queries.get(id);
        RolloutTransitions.Locked locked = rollouts.lock(id);
        if (locked.state() != RolloutState.AWAITING_APPROVAL) {
            throw new IllegalMove("rollout " + id + " is " + locked.state() + "; nothing waits for approval");
        }
        int wave = locked.currentWave();
        end(locked, "deny", "denied at " + plans.of(id).plan().waves().waveName(wave) + " by " + actor + ": " + reason);
        RolloutView after = queries.get(id);
        audit.record("rollout.deny", "rollout/" + id, Map.of("state", before.state()),
                Map.of("state", after.state(), "wave", wave, "reason", reason));
        return after;
    }

    /** Stops claiming; hosts in flight finish. */
    @Transactional
    public RolloutView pause(long id, String actor) {
        return control(id, "pause", locked -> move(locked, RolloutState.PAUSED, "pause", "pause by " + actor));
    }

    /** Claims again; a wave that was waiting for approval still waits. */
    @Transactional
    public RolloutView resume(long id, String actor) {
        return control(id, "resume", locked -> {
            if (locked.state() != RolloutState.PAUSED) {
                throw new IllegalMove("rollout " + id + " is " + locked.state() + ", not PAUSED");
            }
            boolean waiting = waves.state(id, locked.currentWave()) == WaveState.PENDING;
            move(locked, waiting ? RolloutState.AWAITING_APPROVAL : RolloutState.RUNNING, "resume",
                    waiting ? plans.of(id).plan().waves().waveName(locked.currentWave()) + " waits for approval" : null);
        });
    }

    /** Stops for good: queued hosts are cancelled, open waves end, hosts in flight finish cleanly. */
    @Transactional
    public RolloutView cancel(long id, String actor) {
        return control(id, "cancel", locked -> end(locked, "cancel", "cancel by " + actor));
    }

    /**
     * A new attempt for the hosts that failed or were rolled back, and only those, in their own waves. A
     * halted or failed rollout only: elsewhere it would slip past a pause or an approval.
     */
    @Transactional
    public RolloutView retryFailed(long id, String actor) {
        return control(id, "retry", locked -> {
            if (locked.state() != RolloutState.HALTED && locked.state() != RolloutState.FAILED) {
                throw new IllegalMove("cannot retry the failed hosts of a rollout that is " + locked.state()
                        + "; only a HALTED or FAILED one");
            }
            if (tasks.requeueFailed(id) == 0) {
                throw new ConflictException("rollout " + id + " has no failed hosts");
            }
            waves.closedWithQueuedTasks(id).forEach(wave -> waves.reopen(id, wave));
            move(locked, RolloutState.RUNNING, "retry the failed hosts of", null);
        });
    }

    /** CANCELLED, as a cancel and a denial end a rollout: queued hosts never run, open waves end. */
    private void end(RolloutTransitions.Locked locked, String action, String reason) {
        move(locked, RolloutState.CANCELLED, action, reason);
        tasks.cancelQueued(locked.id());
        waves.cancelOpen(locked.id());
    }

    /** The move a control asks for; refused (409) in the control's words when the state machine has no such arrow. */
    private void move(RolloutTransitions.Locked locked, RolloutState next, String action, String reason) {
        locked.state().checkMove(next, action);
        rollouts.move(locked.id(), locked.state(), next, reason);
    }

    private interface Control {
        void apply(RolloutTransitions.Locked locked);
    }

    private RolloutView control(long id, String action, Control control) {
        RolloutView before = queries.get(id);
        control.apply(rollouts.lock(id));
        RolloutView after = queries.get(id);
        audit.record("rollout." + action, "rollout/" + id, Map.of("state", before.state()), Map.of("state", after.state()));
        return after;
    }
}
