package dev.ballast.rollout;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.jdbc.ShutdownOrder;
import dev.ballast.plan.WavePolicy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Moves rollouts from wave to wave. When every task of a running wave has ended, the wave is closed
 * against its failure thresholds, and the rollout halts, waits for approval, opens the next wave (after
 * the plan's pause) or ends. Runs in every process; a rollout row locked by one is skipped by the others.
 */
@ApplicationScoped
class Coordinator {

    private static final Logger LOG = Logger.getLogger(Coordinator.class);

    private final Jdbc jdbc;
    private final RolloutPlans plans;
    private final RolloutTransitions rollouts;
    private final WaveTransitions waves;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ballast-coordinator");
        thread.setDaemon(true);
        return thread;
    });

    Coordinator(Jdbc jdbc, RolloutPlans plans, RolloutTransitions rollouts, WaveTransitions waves) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.rollouts = rollouts;
        this.waves = waves;
    }

    void onStart(@Observes StartupEvent event) {
        loop.scheduleWithFixedDelay(this::round, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Before the database goes: a round cut off halfway only rolls back, but would log an error. */
    void onStop(@Observes @Priority(ShutdownOrder.LOOPS) ShutdownEvent event) throws InterruptedException {
        loop.shutdown();
        loop.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void round() {
        try {
            for (long rollout : rollouts.running()) {
                advance(rollout);
            }
        } catch (RuntimeException e) {
            LOG.errorf("Advancing rollouts failed (%s); trying again", e.getMessage());
        }
    }

    /** Closes the rollout's finished waves and decides what comes next, in one transaction. */
    void advance(long rollout) {
        RolloutPlans.RolloutPlan plan = plans.of(rollout);
        // Approvals and pauses guard changes: a check rollout (a sweep) changes nothing and runs straight through.
        boolean changes = plan.mode() != Mode.CHECK;
        jdbc.newTransaction(() -> {
            Optional<RolloutTransitions.Locked> locked = rollouts.lockIfFree(rollout);
            if (locked.isPresent() && locked.get().state() == RolloutState.RUNNING) {
                advance(rollout, plan.plan().waves(), changes);
            }
            return null;
        });
    }

    private void advance(long rollout, WavePolicy policy, boolean changes) {
        for (int wave : waves.finishedRunning(rollout)) {
            Tally ofWave = tally(rollout, wave);
            waves.close(rollout, wave, ofWave.failures() > 0 ? WaveState.FAILED : WaveState.SUCCEEDED);
            String over = overThreshold(policy, wave, ofWave, tally(rollout, null));
            if (over != null && !policy.continueOnThreshold()) {
                rollouts.move(rollout, RolloutState.RUNNING, RolloutState.HALTED, over);
                LOG.warnf("Rollout %d halted: %s", rollout, over);
                return;
            }
            LOG.infof("Rollout %d: wave %d closed%s", rollout, wave, over == null ? "" : " past its threshold (" + over + ")");
        }
        // One wave runs at a time; a retry may have reopened more than one. The next wave is the first that
        // never opened, and only once none runs: a retried wave is judged before anything after it starts.
        if (!waves.anyRunning(rollout)) {
            openNext(rollout, policy, changes);
        }
    }

    private void openNext(long rollout, WavePolicy policy, boolean changes) {
        Optional<Integer> pending = waves.firstPending(rollout);
        if (pending.isEmpty()) {
            end(rollout, policy);
            return;
        }
        int next = pending.get();
        rollouts.setCurrentWave(rollout, next);
        boolean approval = changes && (policy.approval() == WavePolicy.Approval.EVERY_WAVE
                || policy.approval() == WavePolicy.Approval.AFTER_CANARY && next == 1);
        if (approval) {
            rollouts.move(rollout, RolloutState.RUNNING, RolloutState.AWAITING_APPROVAL, policy.waveName(next) + " waits for approval");
            LOG.infof("Rollout %d: wave %d waits for approval", rollout, next);
            return;
        }
        long pause = changes ? policy.pauseSeconds() : 0;
        waves.open(rollout, next, pause);
        LOG.infof("Rollout %d: wave %d opens%s", rollout, next, pause > 0 ? " after a pause of " + pause + " s" : "");
    }

    /** Every wave ran: SUCCEEDED, or FAILED saying whether the failures stayed within the thresholds. */
    private void end(long rollout, WavePolicy policy) {
        Tally all = tally(rollout, null);
        if (all.failures() == 0) {
            rollouts.move(rollout, RolloutState.RUNNING, RolloutState.SUCCEEDED, null);
            return;
        }
        boolean over = all.failures() > policy.maxTotalFailures().of((int) all.hosts());
        for (Tally ofWave : jdbc.list("select " + TALLY + " from host_task where rollout_id = ? group by wave",
                Coordinator::tally, rollout)) {
            over |= ofWave.failures() > policy.maxWaveFailures().of((int) ofWave.hosts());
        }
        rollouts.move(rollout, RolloutState.RUNNING, RolloutState.FAILED, all.failures() + " hosts failed, " + (over
                ? "more than the thresholds allow; the plan goes on past them (onThreshold: continue)" : "within the thresholds"));
    }

    /** Hosts that ran (not skipped) and hosts that failed, of one wave or (wave null) of the whole rollout. */
    private record Tally(long hosts, long failures) {
    }

    private static final String TALLY = "count(*) filter (where state <> 'SKIPPED'), "
            + "count(*) filter (where state in ('FAILED', 'ROLLED_BACK'))";

    private Tally tally(long rollout, Integer wave) {
        return jdbc.one("select " + TALLY + " from host_task where rollout_id = ? and (cast(? as integer) is null or wave = ?)",
                Coordinator::tally, rollout, wave, wave).orElseThrow();
    }

    private static Tally tally(java.sql.ResultSet r) throws java.sql.SQLException {
        return new Tally(r.getLong(1), r.getLong(2));
    }

    /** Why the wave's failures, or the rollout's, are past the plan's thresholds; null when they are not. */
    private static String overThreshold(WavePolicy policy, int wave, Tally ofWave, Tally all) {
        if (ofWave.failures() > policy.maxWaveFailures().of((int) ofWave.hosts())) {
            return policy.waveName(wave) + ": " + ofWave.failures() + " of " + ofWave.hosts() + " hosts failed, more than the "
                    + policy.maxWaveFailures() + " allowed";
        }
        if (all.failures() > policy.maxTotalFailures().of((int) all.hosts())) {
            return all.failures() + " of " + all.hosts() + " hosts failed in all, more than the " + policy.maxTotalFailures()
                    + " allowed";
        }
        return null;
    }
}
