package dev.ballast.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.ballast.plan.WavePolicy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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

    private final DataSource db;
    private final RolloutPlans plans;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ballast-coordinator");
        thread.setDaemon(true);
        return thread;
    });

    Coordinator(DataSource db, RolloutPlans plans) {
        this.db = db;
        this.plans = plans;
    }

    void onStart(@Observes StartupEvent event) {
        loop.scheduleWithFixedDelay(this::round, 250, 250, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.shutdownNow();
    }

    private void round() {
        try {
            for (long rollout : running()) {
                advance(rollout);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.errorf("Advancing rollouts failed (%s); trying again", e.getMessage());
        }
    }

    private List<Long> running() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id from rollout where state = 'RUNNING' order by id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    /** Closes the rollout's finished waves and decides what comes next, in one transaction. */
    void advance(long rollout) throws SQLException {
        RolloutPlans.RolloutPlan plan = plans.of(rollout);
        // Approvals and pauses guard changes: a check rollout (a sweep) changes nothing and runs straight through.
        boolean changes = plan.mode() != Mode.CHECK;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                advance(c, rollout, plan.plan().waves(), changes);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void advance(Connection c, long rollout, WavePolicy policy, boolean changes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select state from rollout where id = ? for update skip locked")) {
            s.setLong(1, rollout);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !r.getString(1).equals("RUNNING")) {
                    return;
                }
            }
        }
        for (int wave : finishedRunningWaves(c, rollout)) {
            int waveHosts = count(c, "select count(*) from host_task where rollout_id = ? and wave = ? and state <> 'SKIPPED'",
                    rollout, wave);
            int waveFailures = count(c, "select count(*) from host_task where rollout_id = ? and wave = ? "
                    + "and state in ('FAILED', 'ROLLED_BACK')", rollout, wave);
            int allHosts = count(c, "select count(*) from host_task where rollout_id = ? and state <> 'SKIPPED'", rollout);
            int allFailures = count(c, "select count(*) from host_task where rollout_id = ? and state in ('FAILED', 'ROLLED_BACK')",
                    rollout);
            boolean waveOver = waveFailures > policy.maxWaveFailures().of(waveHosts);
            boolean totalOver = allFailures > policy.maxTotalFailures().of(allHosts);
            update(c, "update wave set state = ?, finished_at = now() where rollout_id = ? and number = ?",
                    waveFailures > 0 ? "FAILED" : "SUCCEEDED", rollout, wave);
            if ((waveOver || totalOver) && !policy.continueOnThreshold()) {
                String reason = waveOver
                        ? "wave " + wave + ": " + waveFailures + " of " + waveHosts + " hosts failed, more than the "
                                + policy.maxWaveFailures() + " allowed"
                        : allFailures + " of " + allHosts + " hosts failed in all, more than the " + policy.maxTotalFailures()
                                + " allowed";
                finish(c, rollout, "HALTED", reason);
                LOG.warnf("Rollout %d halted: %s", rollout, reason);
                return;
            }
            LOG.infof("Rollout %d: wave %d closed", rollout, wave);
        }
        // One wave runs at a time; a retry may have reopened more than one. The next wave is the first that
        // never opened, and only once none runs: a retried wave is judged before anything after it starts.
        if (count(c, "select count(*) from wave where rollout_id = ? and state = 'RUNNING'", rollout) == 0) {
            openNext(c, rollout, policy, changes);
        }
    }

    private void openNext(Connection c, long rollout, WavePolicy policy, boolean changes) throws SQLException {
        int next = count(c, "select coalesce(min(number), -1) from wave where rollout_id = ? and state = 'PENDING'", rollout);
        if (next < 0) {
            int failures = count(c, "select count(*) from host_task where rollout_id = ? and state in ('FAILED', 'ROLLED_BACK')",
                    rollout);
            finish(c, rollout, failures > 0 ? "FAILED" : "SUCCEEDED",
                    failures > 0 ? failures + " hosts failed, within the thresholds" : null);
            return;
        }
        update(c, "update rollout set current_wave = ?, updated_at = now() where id = ?", next, rollout);
        boolean approval = changes && (policy.approval() == WavePolicy.Approval.EVERY_WAVE
                || policy.approval() == WavePolicy.Approval.AFTER_CANARY && next == 1);
        if (approval) {
            try (PreparedStatement s = c.prepareStatement("update rollout set state = 'AWAITING_APPROVAL', reason = ?, "
                    + "updated_at = now() where id = ?")) {
                s.setString(1, "wave " + next + " waits for approval");
                s.setLong(2, rollout);
                s.executeUpdate();
            }
            LOG.infof("Rollout %d: wave %d waits for approval", rollout, next);
            return;
        }
        long pause = changes ? policy.pauseSeconds() : 0;
        openWave(c, rollout, next, pause);
        LOG.infof("Rollout %d: wave %d opens%s", rollout, next, pause > 0 ? " after a pause of " + pause + " s" : "");
    }

    /** Opens a wave, held back by the plan's pause; the time is stored, so a restart does not shorten it. */
    static void openWave(Connection c, long rollout, int wave, long pauseSeconds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update wave set state = 'RUNNING', started_at = now(), "
                + "not_before = case when ? > 0 then now() + make_interval(secs => ?) end where rollout_id = ? and number = ?")) {
            s.setLong(1, pauseSeconds);
            s.setDouble(2, pauseSeconds);
            s.setLong(3, rollout);
            s.setInt(4, wave);
            s.executeUpdate();
        }
    }

    private static List<Integer> finishedRunningWaves(Connection c, long rollout) throws SQLException {
        List<Integer> waves = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select w.number from wave w where w.rollout_id = ? and w.state = 'RUNNING' "
                + "and not exists (select 1 from host_task t where t.rollout_id = w.rollout_id and t.wave = w.number "
                + "and t.state in ('QUEUED', 'RUNNING')) order by w.number")) {
            s.setLong(1, rollout);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    waves.add(r.getInt(1));
                }
            }
        }
        return waves;
    }

    static void finish(Connection c, long rollout, String state, String reason) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update rollout set state = ?, reason = ?, updated_at = now(), "
                + "finished_at = case when ? in ('SUCCEEDED', 'FAILED', 'CANCELLED') then now() end where id = ?")) {
            s.setString(1, state);
            s.setString(2, reason);
            s.setString(3, state);
            s.setLong(4, rollout);
            s.executeUpdate();
        }
    }

    private static int count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }
}
