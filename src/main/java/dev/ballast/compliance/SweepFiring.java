package dev.ballast.compliance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.NotFoundException;
import dev.ballast.rollout.RolloutCreation;
import dev.ballast.rollout.RolloutView;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Starts sweep runs: at each time Quartz fires, or when an operator asks. Each firing becomes one run (one
 * per sweep and fire time, whichever process fires it) that starts a check rollout; when the rollout
 * ends, {@link SweepRunCloser} turns its results into the run's drift report.
 */
@ApplicationScoped
public class SweepFiring {

    private static final Logger LOG = Logger.getLogger(SweepFiring.class);

    private final Jdbc jdbc;
    private final SweepDefinitions definitions;
    private final SweepReports reports;
    private final RolloutCreation rollouts;

    SweepFiring(Jdbc jdbc, SweepDefinitions definitions, SweepReports reports, RolloutCreation rollouts) {
        this.jdbc = jdbc;
        this.definitions = definitions;
        this.reports = reports;
        this.rollouts = rollouts;
    }

    /** Runs the sweep now, besides its schedule. */
    public SweepRun runNow(long id) {
        SweepDefinition sweep = definitions.get(id);
        Long run = fire(id, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (run == null) {
            throw new ConflictException("sweep " + sweep.name() + " has a run going; it can run again when that one ends");
        }
        return reports.run(id, run);
    }

    /**
     * One firing: records the run, then starts its check rollout. The run row comes first and on its own,
     * so a second process firing the same time finds it and does nothing; a firing while the previous
     * run still checks hosts is recorded SKIPPED rather than piling rollouts up. Returns the run, or
     * null when this firing started nothing.
     */
    Long fire(long sweepId, Instant scheduledFor) {
        SweepDefinition sweep;
        try {
            sweep = definitions.get(sweepId);
        } catch (NotFoundException deletedMeanwhile) {
            return null;
        }
        Optional<Long> going = jdbc.one("select id from sweep_run where sweep_id = ? and state = 'RUNNING'",
                r -> r.getLong(1), sweepId);
        if (going.isPresent()) {
            if (insertRun(sweepId, scheduledFor, "SKIPPED", "run " + going.get() + " was still checking hosts") != null) {
                LOG.infof("Sweep %s: the run for %s is skipped, run %d still checks hosts", sweep.name(), scheduledFor, going.get());
            }
            return null;
        }
        Long run = insertRun(sweepId, scheduledFor, "RUNNING", null);
        if (run == null) {
            jdbc.update("update sweep_run set duplicate_firings = duplicate_firings + 1 where sweep_id = ? and scheduled_for = ?",
                    sweepId, scheduledFor);
            LOG.warnf("Sweep %s: the run for %s had been fired already; is Quartz clustered on every replica?",
                    sweep.name(), scheduledFor);
            return null;
        }
        try {
            RolloutView rollout = rollouts.create(sweep.plan(), null, sweep.selector(), "check", "sweep:" + sweep.name());
            jdbc.update("update sweep_run set rollout_id = ? where id = ?", rollout.id(), run);
            LOG.infof("Sweep %s: run %d checks %d hosts (rollout %d)", sweep.name(), run, rollout.totals().values().stream()
                    .mapToInt(Integer::intValue).sum(), rollout.id());
        } catch (RuntimeException e) {
            jdbc.update("update sweep_run set state = 'FAILED', error = ?, finished_at = now() where id = ?",
                    "could not start the check: " + e.getMessage(), run);
            LOG.warnf("Sweep %s: run %d could not start: %s", sweep.name(), run, e.getMessage());
        }
        return run;
    }

    /** The new run's id, or null when this sweep and time have a run already. */
    private Long insertRun(long sweep, Instant scheduledFor, String state, String error) {
        return jdbc.one("insert into sweep_run (sweep_id, scheduled_for, state, error, finished_at) "
                + "values (?, ?, ?, ?, case when ? <> 'RUNNING' then now() end) "
                + "on conflict (sweep_id, scheduled_for) do nothing returning id",
                r -> r.getLong(1), sweep, scheduledFor, state, error, state).orElse(null);
    }
}
