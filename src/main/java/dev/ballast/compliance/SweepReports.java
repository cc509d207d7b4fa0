package dev.ballast.compliance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

/** What sweeps found: each sweep's runs with their counts (the drift over time) and a run's drift by host and step. */
@ApplicationScoped
public class SweepReports {

    private static final String RUN_COLUMNS = "id, sweep_id, scheduled_for, started_at, finished_at, state, rollout_id, hosts, "
            + "drifted_hosts, drifts, unreachable_hosts, remediation_rollout, error, duplicate_firings, pending_restart_hosts";

    private final Jdbc jdbc;
    private final SweepDefinitions definitions;

    SweepReports(Jdbc jdbc, SweepDefinitions definitions) {
        this.jdbc = jdbc;
        this.definitions = definitions;
    }

    /** The sweep's runs, newest first: with their counts, the drift over time. */
    public List<SweepRun> runs(long sweep, int limit) {
        definitions.get(sweep);
        return jdbc.list("select " + RUN_COLUMNS + " from sweep_run where sweep_id = ? order by scheduled_for desc limit ?",
                SweepReports::sweepRun, sweep, limit);
    }

    public SweepRun run(long sweep, long id) {
        return jdbc.one("select " + RUN_COLUMNS + " from sweep_run where id = ? and sweep_id = ?", SweepReports::sweepRun, id, sweep)
                .orElseThrow(() -> new NotFoundException("sweep " + sweep + " has no run " + id));
    }

    /** What a run found out of line, by host and step. */
    public List<DriftEntry> drift(long sweep, long run) {
        run(sweep, run);
        return jdbc.list("select host_name, position, step, fact, desired, actual, since_run_id from drift where run_id = ? "
                + "order by host_name, position, fact", r -> new DriftEntry(r.getString(1), r.getInt(2), r.getString(3),
                        r.getString(4), r.getString(5), r.getString(6), r.getLong(7)), run);
    }

    private static SweepRun sweepRun(ResultSet r) throws SQLException {
        return new SweepRun(r.getLong(1), r.getLong(2), instant(r.getTimestamp(3)), instant(r.getTimestamp(4)),
                instant(r.getTimestamp(5)), r.getString(6), (Long) r.getObject(7), (Integer) r.getObject(8),
                (Integer) r.getObject(9), (Integer) r.getObject(10), (Integer) r.getObject(11), (Long) r.getObject(12),
                r.getString(13), r.getInt(14), (Integer) r.getObject(15));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
