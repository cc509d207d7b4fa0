package dev.ballast.web;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import dev.ballast.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

/** The few reads only the UI's pages need: fleet counts, recent failures, a host's recent tasks. */
@ApplicationScoped
class WebQueries {

    record Fleet(long hosts, long maintenance, long quarantined, long drifted) {
    }

    record TaskLine(String host, long rollout, String plan, String mode, String state, String error, Instant at) {
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
