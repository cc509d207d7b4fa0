package dev.ballast.web;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import dev.ballast.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The few reads only the UI's pages need: fleet counts, rollouts labelled with what started them, what
 * needs an operator, recent failures, a host's recent tasks.
 */
@ApplicationScoped
class WebQueries {

    record Fleet(long hosts, long maintenance, long quarantined, long drifted) {
    }

    record TaskLine(String host, long rollout, String plan, String mode, String state, String error, Instant at) {
    }

    /** A rollout in the dashboard's lists; {@code sweep} names the sweep whose check or remediation it is. */
    record RolloutLine(long id, String plan, int planVersion, String selector, String mode, String state, String reason,
            String sweep, Instant createdAt, Instant finishedAt) {
        /** What started it, as the lists label it. */
        public String kind() {
            if (sweep != null) {
                return mode.equals("CHECK") ? "sweep " + sweep + ": check" : "sweep " + sweep + ": remediation";
            }
            return mode.equals("ROLLBACK") ? "host rollback" : mode.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A sweep whose last finished run found drift the run before it did not: {@code newHosts} hosts with
     * {@code newFacts} facts first seen drifted in that run, of {@code driftedHosts} drifted in all.
     */
    record DriftLine(long sweepId, String sweep, int driftedHosts, int newHosts, int newFacts, Instant at) {
    }

    private final Jdbc jdbc;

    WebQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Fleet fleet() {
        return jdbc.one("select count(*), count(*) filter (where maintenance), "
                + "count(*) filter (where quarantined_host_key is not null), "
                + "(select coalesce(sum(drifted_hosts), 0) from sweep_run r where r.state = 'DONE' and r.id = "
                + "(select max(id) from sweep_run l where l.sweep_id = r.sweep_id and l.state = 'DONE')) from host",
                r -> new Fleet(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4))).orElseThrow();
    }

    /** Rollouts in the given states (all when none), newest first. */
    List<RolloutLine> rollouts(List<String> states, int limit) {
        return jdbc.list("select r.id, r.plan_name, r.plan_version, r.selector, r.mode, r.state, r.reason, s.name, r.created_at, "
                + "r.finished_at from rollout r left join sweep_run sr on r.id in (sr.rollout_id, sr.remediation_rollout) "
                + "left join sweep s on s.id = sr.sweep_id where (? = '' or r.state = any(string_to_array(?, ','))) "
                + "order by r.id desc limit ?",
                r -> new RolloutLine(r.getLong(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5), r.getString(6),
                        r.getString(7), r.getString(8), r.getTimestamp(9).toInstant(),
                        r.getTimestamp(10) == null ? null : r.getTimestamp(10).toInstant()),
                String.join(",", states), String.join(",", states), limit);
    }

    /** How many rollouts are in the given states: what a capped list leaves out. */
    long countRollouts(List<String> states) {
        return jdbc.count("select count(*) from rollout where state = any(string_to_array(?, ','))", String.join(",", states));
    }

    /** Hosts held back because they presented another host key than the one pinned. */
    List<String> quarantinedHosts(int limit) {
        return jdbc.list("select name from host where quarantined_host_key is not null order by name limit ?", r -> r.getString(1), limit);
    }

    /**
     * Sweeps whose latest finished run found new drift: facts first seen drifted in that run (a drift row
     * carries the first run of its unbroken series). Drift an earlier run already showed is known, not news.
     */
    List<DriftLine> sweepsWithNewDrift() {
        return jdbc.list("select s.id, s.name, r.drifted_hosts, count(distinct d.host_name), count(*), r.finished_at "
                + "from sweep s join sweep_run r on r.sweep_id = s.id join drift d on d.run_id = r.id and d.since_run_id = r.id "
                + "where r.id = (select max(id) from sweep_run l where l.sweep_id = s.id and l.state = 'DONE') "
                + "group by s.id, s.name, r.drifted_hosts, r.finished_at order by s.name",
                r -> new DriftLine(r.getLong(1), r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5), r.getTimestamp(6).toInstant()));
    }

    /** Hosts that failed or were rolled back lately, newest first. */
    List<TaskLine> recentFailures(int limit) {
        return jdbc.list(TASK_LINES + "where t.state in ('FAILED', 'ROLLED_BACK') and r.mode <> 'CHECK' "
                + "order by t.finished_at desc nulls last limit ?", WebQueries::taskLine, limit);
    }

    /** A host's tasks across rollouts, newest first. */
    List<TaskLine> tasksOf(String host, int limit) {
        return jdbc.list(TASK_LINES + "where t.host_name = ? order by t.id desc limit ?", WebQueries::taskLine, host, limit);
    }

    private static final String TASK_LINES = "select t.host_name, t.rollout_id, r.plan_name, r.mode, t.state, t.error, "
            + "coalesce(t.finished_at, t.started_at, r.created_at) from host_task t join rollout r on r.id = t.rollout_id ";

    private static TaskLine taskLine(ResultSet r) throws SQLException {
        return new TaskLine(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                r.getTimestamp(7).toInstant());
    }
}
