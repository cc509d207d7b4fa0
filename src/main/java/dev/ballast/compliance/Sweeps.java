package dev.ballast.compliance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.quartz.CronExpression;

import dev.ballast.input.Names;
import dev.ballast.audit.AuditLog;
import dev.ballast.inventory.Selector;
import dev.ballast.plan.Plans;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import dev.ballast.rollout.RolloutView;
import dev.ballast.rollout.RolloutCreation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Compliance sweeps: a plan in check mode over a selector, on a cron schedule. Each firing becomes one
 * run (one per sweep and fire time, whichever process fires it) that starts a check rollout; when the
 * rollout ends, {@link SweepRunCloser} turns its results into the run's drift report.
 */
@ApplicationScoped
public class Sweeps {

    private static final Logger LOG = Logger.getLogger(Sweeps.class);

    /** A new sweep as the API takes it. */
    public record SweepRequest(String name, String cron, String timeZone, String selector, String plan, Boolean remediate) {
    }

    private final DataSource db;
    private final SweepSchedules schedules;
    private final Plans plans;
    private final RolloutCreation rollouts;
    private final AuditLog audit;

    Sweeps(DataSource db, SweepSchedules schedules, Plans plans, RolloutCreation rollouts, AuditLog audit) {
        this.db = db;
        this.schedules = schedules;
        this.plans = plans;
        this.rollouts = rollouts;
        this.audit = audit;
    }

    @Transactional
    public SweepDefinition create(SweepRequest request) {
        if (request == null) {
            throw InvalidInputException.of("body", "a JSON object with name, cron, selector and plan is required");
        }
        Names.check("name", request.name());
        String cron = validCron(request.cron());
        String zone = validZone(request.timeZone() == null ? "UTC" : request.timeZone());
        Selector selector = Selector.parse("selector", request.selector() == null ? "" : request.selector());
        if (request.plan() == null) {
            throw InvalidInputException.of("plan", "is required: the name of a saved plan");
        }
        try {
            plans.latest(request.plan());
        } catch (NotFoundException e) {
            throw InvalidInputException.of("plan", e.getMessage());
        }
        long id;
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into sweep (name, cron, time_zone, selector, plan_name, remediate, "
                        + "created_by) values (?, ?, ?, ?, ?, ?, ?) on conflict (name) do nothing returning id")) {
            s.setString(1, request.name());
            s.setString(2, cron);
            s.setString(3, zone);
            s.setString(4, selector.toString());
            s.setString(5, request.plan());
            s.setBoolean(6, Boolean.TRUE.equals(request.remediate()));
            s.setString(7, audit.actor());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new ConflictException("a sweep named " + request.name() + " exists already");
                }
                id = r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        schedules.schedule(id, cron, zone);
        SweepDefinition created = get(id);
        audit.record("sweep.create", "sweep/" + request.name(), null, Map.of("cron", cron, "timeZone", zone,
                "selector", selector.toString(), "plan", request.plan(), "remediate", created.remediate()));
        return created;
    }

    private static String validCron(String cron) {
        if (cron == null || cron.isBlank()) {
            throw InvalidInputException.of("cron", "is required: a Quartz cron expression such as '0 0 3 * * ?' (03:00 daily)");
        }
        try {
            CronExpression.validateExpression(cron);
        } catch (ParseException e) {
            throw InvalidInputException.of("cron", "'" + cron + "' is not a Quartz cron expression (seconds minutes hours "
                    + "day-of-month month day-of-week [year]): " + e.getMessage());
        }
        return cron;
    }

    private static String validZone(String zone) {
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw InvalidInputException.of("timeZone", "'" + zone + "' is not a time zone such as UTC or Europe/Paris");
        }
    }

    public List<SweepDefinition> list() {
        return query("select id from sweep order by name", List.of()).stream().map(this::get).toList();
    }

    public SweepDefinition get(long id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, name, cron, time_zone, selector, plan_name, remediate, "
                        + "created_by, created_at from sweep where id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new NotFoundException("no sweep " + id);
                }
                return new SweepDefinition(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6), r.getBoolean(7), r.getString(8), r.getTimestamp(9).toInstant(), schedules.nextRun(id));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public void delete(long id) {
        SweepDefinition sweep = get(id);
        schedules.unschedule(id);
        update("delete from sweep where id = ?", id);
        audit.record("sweep.delete", "sweep/" + sweep.name(), Map.of("cron", sweep.cron(), "plan", sweep.plan()), null);
    }

    /** Runs the sweep now, besides its schedule. */
    public SweepRun runNow(long id) {
        SweepDefinition sweep = get(id);
        Long run = fire(id, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (run == null) {
            throw new ConflictException("sweep " + sweep.name() + " has a run going; it can run again when that one ends");
        }
        return run(id, run);
    }

    /**
     * One firing: records the run, then starts its check rollout. The run row comes first and on its own,
     * so a second process firing the same time finds it and does nothing; a firing while the previous
     * run still checks hosts is recorded as skipped rather than piling rollouts up. Returns the run, or
     * null when this firing started nothing.
     */
    Long fire(long sweepId, Instant scheduledFor) {
        SweepDefinition sweep;
        try {
            sweep = get(sweepId);
        } catch (NotFoundException deletedMeanwhile) {
            return null;
        }
        List<Long> going = query("select id from sweep_run where sweep_id = ? and state = 'RUNNING'", List.of(sweepId));
        if (!going.isEmpty()) {
            insertRun(sweepId, scheduledFor, "FAILED", "skipped: run " + going.get(0) + " was still checking hosts");
            return null;
        }
        Long run = insertRun(sweepId, scheduledFor, "RUNNING", null);
        if (run == null) {
            update("update sweep_run set duplicate_firings = duplicate_firings + 1 where sweep_id = ? and scheduled_for = ?",
                    sweepId, java.sql.Timestamp.from(scheduledFor));
            LOG.warnf("Sweep %s: the run for %s had been fired already; is Quartz clustered on every replica?",
                    sweep.name(), scheduledFor);
            return null;
        }
        try {
            RolloutView rollout = rollouts.create(sweep.plan(), null, sweep.selector(), "check", "sweep:" + sweep.name());
            update("update sweep_run set rollout_id = ? where id = ?", rollout.id(), run);
            LOG.infof("Sweep %s: run %d checks %d hosts (rollout %d)", sweep.name(), run, rollout.totals().values().stream()
                    .mapToInt(Integer::intValue).sum(), rollout.id());
        } catch (RuntimeException e) {
            update("update sweep_run set state = 'FAILED', error = ?, finished_at = now() where id = ?",
                    "could not start the check: " + e.getMessage(), run);
            LOG.warnf("Sweep %s: run %d could not start: %s", sweep.name(), run, e.getMessage());
        }
        return run;
    }

    private Long insertRun(long sweep, Instant scheduledFor, String state, String error) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into sweep_run (sweep_id, scheduled_for, state, error, finished_at) "
                        + "values (?, ?, ?, ?, case when ? = 'FAILED' then now() end) on conflict (sweep_id, scheduled_for) "
                        + "do nothing returning id")) {
            s.setLong(1, sweep);
            s.setTimestamp(2, Timestamp.from(scheduledFor));
            s.setString(3, state);
            s.setString(4, error);
            s.setString(5, state);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sweep's runs, newest first: with their counts, the drift over time. */
    public List<SweepRun> runs(long sweep, int limit) {
        get(sweep);
        return query("select id from sweep_run where sweep_id = ? order by scheduled_for desc limit ?", List.of(sweep, limit))
                .stream().map(id -> run(sweep, id)).toList();
    }

    public SweepRun run(long sweep, long id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, sweep_id, scheduled_for, started_at, finished_at, state, "
                        + "rollout_id, hosts, drifted_hosts, drifts, unreachable_hosts, remediation_rollout, error, duplicate_firings "
                        + "from sweep_run where id = ? and sweep_id = ?")) {
            s.setLong(1, id);
            s.setLong(2, sweep);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new NotFoundException("sweep " + sweep + " has no run " + id);
                }
                return new SweepRun(r.getLong(1), r.getLong(2), instant(r, 3), instant(r, 4), instant(r, 5), r.getString(6),
                        (Long) r.getObject(7), (Integer) r.getObject(8), (Integer) r.getObject(9), (Integer) r.getObject(10),
                        (Integer) r.getObject(11), (Long) r.getObject(12), r.getString(13), r.getInt(14));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a run found out of line, by host and step. */
    public List<DriftEntry> drift(long sweep, long run) {
        run(sweep, run);
        List<DriftEntry> entries = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select host_name, position, step, fact, desired, actual, since_run_id "
                        + "from drift where run_id = ? order by host_name, position, fact")) {
            s.setLong(1, run);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new DriftEntry(r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getLong(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    private List<Long> query(String sql, List<Object> params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<Long> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
