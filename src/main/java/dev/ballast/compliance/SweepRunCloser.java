package dev.ballast.compliance;

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

import dev.ballast.rollout.RolloutView;
import dev.ballast.rollout.RolloutCreation;
import dev.ballast.jdbc.ShutdownOrder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ends sweep runs whose check rollout has ended: writes the drift report (each drifted fact with the run
 * it has been drifted since), the counts, and with remediation on, a rollout of the plan over the drifted
 * hosts only, held for approval. Runs in every process; a run row locked by one is skipped by the others.
 */
@ApplicationScoped
class SweepRunCloser {

    private static final Logger LOG = Logger.getLogger(SweepRunCloser.class);

    private final DataSource db;
    private final RolloutCreation rollouts;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ballast-sweep-closer");
        thread.setDaemon(true);
        return thread;
    });

    SweepRunCloser(DataSource db, RolloutCreation rollouts) {
        this.db = db;
        this.rollouts = rollouts;
    }

    void onStart(@Observes StartupEvent event) {
        loop.scheduleWithFixedDelay(this::round, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Before the database goes: a round cut off halfway only rolls back, but would log an error. */
    void onStop(@Observes @Priority(ShutdownOrder.LOOPS) ShutdownEvent event) throws InterruptedException {
        loop.shutdown();
        loop.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void round() {
        try {
            for (Ended run : ended()) {
                close(run);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.errorf("Closing sweep runs failed (%s); trying again", e.getMessage());
        }
    }

    private record Ended(long run, long sweep, Long rollout) {
    }

    /** Runs whose rollout ended, and runs whose firing process died before it started one. */
    private List<Ended> ended() throws SQLException {
        List<Ended> runs = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select sr.id, sr.sweep_id, sr.rollout_id from sweep_run sr "
                        + "left join rollout r on r.id = sr.rollout_id where sr.state = 'RUNNING' and "
                        + "(r.state in ('SUCCEEDED', 'FAILED', 'HALTED', 'CANCELLED') "
                        + "or sr.rollout_id is null and sr.started_at < now() - interval '1 minute')");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                runs.add(new Ended(r.getLong(1), r.getLong(2), (Long) r.getObject(3)));
            }
        }
        return runs;
    }

    private void close(Ended run) throws SQLException {
        Remediation remediation;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                remediation = close(c, run);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        if (remediation != null) {
            remediate(run, remediation);
        }
    }

    private record Remediation(String sweep, String plan, int planVersion, String selector, List<String> hosts) {
    }

    private Remediation close(Connection c, Ended run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select 1 from sweep_run where id = ? and state = 'RUNNING' "
                + "for update skip locked")) {
            s.setLong(1, run.run());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
            }
        }
        if (run.rollout() == null) {
            exec(c, "update sweep_run set state = 'FAILED', finished_at = now(), error = 'the process firing this run "
                    + "stopped before it started the check' where id = ?", run.run());
            return null;
        }
        Long previous = previousRun(c, run);
        try (PreparedStatement s = c.prepareStatement("insert into drift (run_id, sweep_id, host_name, position, step, fact, "
                + "desired, actual, since_run_id) "
                + "select ?, ?, t.host_name, r.position, r.name, d ->> 'fact', d ->> 'desired', d ->> 'actual', "
                + "coalesce((select p.since_run_id from drift p where p.run_id = ? and p.host_name = t.host_name "
                + "and p.position = r.position and p.fact = d ->> 'fact'), ?) "
                + "from host_task t join step_result r on r.task_id = t.id and r.attempt = t.attempt "
                + "cross join jsonb_array_elements(r.drift) d "
                + "where t.rollout_id = ? and r.kind = 'STEP' and r.outcome = 'DRIFTED'")) {
            s.setLong(1, run.run());
            s.setLong(2, run.sweep());
            s.setObject(3, previous);
            s.setLong(4, run.run());
            s.setLong(5, run.rollout());
            s.executeUpdate();
        }
        exec(c, "update sweep_run set state = 'DONE', finished_at = now(), "
                + "hosts = (select count(*) from host_task where rollout_id = ? and state <> 'SKIPPED'), "
                + "drifted_hosts = (select count(*) from host_task where rollout_id = ? and state = 'DRIFTED'), "
                + "unreachable_hosts = (select count(*) from host_task where rollout_id = ? and state = 'FAILED'), "
                + "drifts = (select count(*) from drift where run_id = ?) where id = ?",
                run.rollout(), run.rollout(), run.rollout(), run.run(), run.run());
        try (PreparedStatement s = c.prepareStatement("select sw.name, r.plan_name, r.plan_version, sw.selector, sw.remediate, "
                + "array(select t.host_name from host_task t where t.rollout_id = r.id and t.state = 'DRIFTED' order by 1) "
                + "from sweep sw join rollout r on r.id = ? where sw.id = ?")) {
            s.setLong(1, run.rollout());
            s.setLong(2, run.sweep());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                List<String> drifted = List.of((String[]) r.getArray(6).getArray());
                LOG.infof("Sweep %s: run %d found %d drifted hosts", r.getString(1), run.run(), drifted.size());
                return r.getBoolean(5) && !drifted.isEmpty()
                        ? new Remediation(r.getString(1), r.getString(2), r.getInt(3), r.getString(4), drifted) : null;
            }
        }
    }

    /** Outside the closing transaction: a rollout that cannot start (a host deleted meanwhile) leaves the report. */
    private void remediate(Ended run, Remediation remediation) {
        try {
            RolloutView rollout = rollouts.createHeld(new RolloutCreation.Held(remediation.plan(), remediation.planVersion(),
                    remediation.selector(), remediation.hosts(), "remediation of sweep " + remediation.sweep() + " run " + run.run()
                    + ": waits for approval"), "sweep:" + remediation.sweep());
            try (Connection c = db.getConnection()) {
                exec(c, "update sweep_run set remediation_rollout = ? where id = ?", rollout.id(), run.run());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Sweep %s: the remediation of run %d could not start: %s", remediation.sweep(), run.run(), e.getMessage());
        }
    }

    /** The sweep's last finished run before this one, whose drift this run's continues. */
    private static Long previousRun(Connection c, Ended run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select id from sweep_run where sweep_id = ? and state = 'DONE' "
                + "and scheduled_for < (select scheduled_for from sweep_run where id = ?) order by scheduled_for desc limit 1")) {
            s.setLong(1, run.sweep());
            s.setLong(2, run.run());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
