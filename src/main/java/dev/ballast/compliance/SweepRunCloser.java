package dev.ballast.compliance;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.jdbc.ShutdownOrder;
import dev.ballast.rollout.RolloutCreation;
import dev.ballast.rollout.RolloutView;
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

    private final Jdbc jdbc;
    private final RolloutCreation rollouts;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ballast-sweep-closer");
        thread.setDaemon(true);
        return thread;
    });

    SweepRunCloser(Jdbc jdbc, RolloutCreation rollouts) {
        this.jdbc = jdbc;
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
        } catch (RuntimeException e) {
            LOG.errorf("Closing sweep runs failed (%s); trying again", e.getMessage());
        }
    }

    private record Ended(long run, long sweep, Long rollout) {
    }

    /** Runs whose rollout ended, and runs whose firing process died before it started one. */
    private List<Ended> ended() {
        return jdbc.list("select sr.id, sr.sweep_id, sr.rollout_id from sweep_run sr "
                + "left join rollout r on r.id = sr.rollout_id where sr.state = 'RUNNING' and "
                + "(r.state in ('SUCCEEDED', 'FAILED', 'HALTED', 'CANCELLED') "
                + "or sr.rollout_id is null and sr.started_at < now() - interval '1 minute')",
                r -> new Ended(r.getLong(1), r.getLong(2), (Long) r.getObject(3)));
    }

    private void close(Ended run) {
        Remediation remediation = jdbc.transaction(() -> closeLocked(run));
        if (remediation != null) {
            remediate(run, remediation);
        }
    }

    private record Remediation(String sweep, String plan, int planVersion, String selector, List<String> hosts) {
    }

    /** In one transaction: the report, the counts and the run's end, or nothing when another process closes it. */
    private Remediation closeLocked(Ended run) {
        if (jdbc.one("select 1 from sweep_run where id = ? and state = 'RUNNING' for update skip locked", r -> true, run.run())
                .isEmpty()) {
            return null;
        }
        if (run.rollout() == null) {
            jdbc.update("update sweep_run set state = 'FAILED', finished_at = now(), error = 'the process firing this run "
                    + "stopped before it started the check' where id = ?", run.run());
            return null;
        }
        jdbc.update("insert into drift (run_id, sweep_id, host_name, position, step, fact, desired, actual, since_run_id) "
                + "select ?, ?, t.host_name, r.position, r.name, d ->> 'fact', d ->> 'desired', d ->> 'actual', "
                + "coalesce((select p.since_run_id from drift p where p.run_id = ? and p.host_name = t.host_name "
                + "and p.position = r.position and p.fact = d ->> 'fact'), ?) "
                + "from host_task t join step_result r on r.task_id = t.id and r.attempt = t.attempt "
                + "cross join jsonb_array_elements(r.drift) d "
                + "where t.rollout_id = ? and r.kind = 'STEP' and r.outcome = 'DRIFTED'",
                run.run(), run.sweep(), previousRun(run), run.run(), run.rollout());
        jdbc.update("update sweep_run set state = 'DONE', finished_at = now(), "
                + "hosts = (select count(*) from host_task where rollout_id = ? and state <> 'SKIPPED'), "
                + "drifted_hosts = (select count(*) from host_task where rollout_id = ? and state = 'DRIFTED'), "
                + "pending_restart_hosts = (select count(*) from host_task where rollout_id = ? and state = 'PENDING_RESTART'), "
                + "unreachable_hosts = (select count(*) from host_task where rollout_id = ? and state = 'FAILED'), "
                + "drifts = (select count(*) from drift where run_id = ?) where id = ?",
                run.rollout(), run.rollout(), run.rollout(), run.rollout(), run.run(), run.run());
        record Closed(boolean remediate, Remediation drifted) {
        }
        Closed closed = jdbc.one("select sw.name, r.plan_name, r.plan_version, sw.selector, sw.remediate, "
                + "array(select t.host_name from host_task t where t.rollout_id = r.id and t.state = 'DRIFTED' order by 1) "
                + "from sweep sw join rollout r on r.id = ? where sw.id = ?",
                r -> new Closed(r.getBoolean(5), new Remediation(r.getString(1), r.getString(2), r.getInt(3), r.getString(4),
                        List.of((String[]) r.getArray(6).getArray()))), run.rollout(), run.sweep()).orElseThrow();
        Remediation drifted = closed.drifted();
        LOG.infof("Sweep %s: run %d found %d drifted hosts", drifted.sweep(), run.run(), drifted.hosts().size());
        return closed.remediate() && !drifted.hosts().isEmpty() ? drifted : null;
    }

    /** Outside the closing transaction: a rollout that cannot start (a host deleted meanwhile) leaves the report. */
    private void remediate(Ended run, Remediation remediation) {
        try {
            RolloutView rollout = rollouts.createHeld(new RolloutCreation.Held(remediation.plan(), remediation.planVersion(),
                    remediation.selector(), remediation.hosts(), "remediation of sweep " + remediation.sweep() + " run " + run.run()
                    + ": waits for approval"), "sweep:" + remediation.sweep());
            jdbc.update("update sweep_run set remediation_rollout = ? where id = ?", rollout.id(), run.run());
        } catch (RuntimeException e) {
            LOG.warnf("Sweep %s: the remediation of run %d could not start: %s", remediation.sweep(), run.run(), e.getMessage());
        }
    }

    /** The sweep's last finished run before this one, whose drift this run's continues. */
    private Long previousRun(Ended run) {
        return jdbc.one("select id from sweep_run where sweep_id = ? and state = 'DONE' "
                + "and scheduled_for < (select scheduled_for from sweep_run where id = ?) order by scheduled_for desc limit 1",
                r -> r.getLong(1), run.sweep(), run.run()).orElse(null);
    }
}
