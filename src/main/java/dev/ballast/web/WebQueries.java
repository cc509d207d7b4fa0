package dev.ballast.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** The few reads only the UI's pages need: fleet counts, recent failures, a host's recent tasks. */
@ApplicationScoped
class WebQueries {

    record Fleet(long hosts, long maintenance, long quarantined, long drifted) {
    }

    record TaskLine(String host, long rollout, String plan, String mode, String state, String error, Instant at) {
    }

    private final DataSource db;

    WebQueries(DataSource db) {
        this.db = db;
    }

    Fleet fleet() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*), count(*) filter (where maintenance), "
                        + "count(*) filter (where quarantined_host_key is not null), "
                        + "(select coalesce(sum(drifted_hosts), 0) from sweep_run r where r.state = 'DONE' and r.id = "
                        + "(select max(id) from sweep_run l where l.sweep_id = r.sweep_id and l.state = 'DONE')) from host");
                ResultSet r = s.executeQuery()) {
            r.next();
            return new Fleet(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hosts that failed or were rolled back lately, newest first. */
    List<TaskLine> recentFailures(int limit) {
        return tasks("where t.state in ('FAILED', 'ROLLED_BACK') and r.mode <> 'CHECK' order by t.finished_at desc nulls last limit ?",
                null, limit);
    }

    /** A host's tasks across rollouts, newest first. */
    List<TaskLine> tasksOf(String host, int limit) {
        return tasks("where t.host_name = ? order by t.id desc limit ?", host, limit);
    }

    private List<TaskLine> tasks(String where, String host, int limit) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select t.host_name, t.rollout_id, r.plan_name, r.mode, t.state, t.error, "
                        + "coalesce(t.finished_at, t.started_at, r.created_at) from host_task t join rollout r on r.id = t.rollout_id "
                        + where)) {
            int i = 1;
            if (host != null) {
                s.setString(i++, host);
            }
            s.setInt(i, limit);
            List<TaskLine> lines = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add(new TaskLine(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getTimestamp(7).toInstant()));
                }
            }
            return lines;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
