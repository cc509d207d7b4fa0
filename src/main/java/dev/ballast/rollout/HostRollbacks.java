package dev.ballast.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.ballast.audit.AuditLog;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.NotFoundException;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Rolling one host back to where it was before one rollout: a rollout of mode ROLLBACK with one task,
 * carried by the same queue and workers as every other, so it survives restarts and never runs while
 * another task holds the host. Asking again while it runs, or after it restored everything, answers the
 * same rollback instead of starting another.
 */
@ApplicationScoped
public class HostRollbacks {

    /** The rollback rollout, and whether this request made it. */
    public record Started(RolloutView rollout, boolean created) {
    }

    private final DataSource db;
    private final RollbackPoints points;
    private final Rollouts rollouts;
    private final AuditLog audit;

    HostRollbacks(DataSource db, RollbackPoints points, Rollouts rollouts, AuditLog audit) {
        this.db = db;
        this.points = points;
        this.rollouts = rollouts;
        this.audit = audit;
    }

    @Transactional
    public Started rollBack(String host, long source) {
        try (Connection c = db.getConnection()) {
            long hostId = lockHost(c, host);
            String mode = modeOf(c, source);
            if (!mode.equals(Mode.APPLY.name())) {
                throw new ConflictException("rollout " + source + " ran in " + mode.toLowerCase() + " mode and changed nothing");
            }
            Long pending = rollbackOf(c, source, host, "t.state in ('QUEUED', 'RUNNING')");
            if (pending != null) {
                return new Started(rollouts.get(pending), false);
            }
            Long busy = runningTaskOf(c, hostId);
            if (busy != null) {
                throw new ConflictException(host + " is busy: rollout " + busy + " is working on it now; roll back when it is done");
            }
            List<RollbackPoints.Captured> toRestore = points.unrestored(source, host);
            if (toRestore.isEmpty()) {
                Long done = rollbackOf(c, source, host, "t.state = 'SUCCEEDED'");
                if (done != null) {
                    return new Started(rollouts.get(done), false);
                }
                throw new ConflictException("rollout " + source + " changed nothing on " + host + " that is not restored already");
            }
            long id = insert(c, source, hostId, host);
            audit.record("host.rollback", "host/" + host, null, Map.of("rollout", id, "rollsBack", source,
                    "steps", toRestore.stream().map(RollbackPoints.Captured::step).toList()));
            return new Started(rollouts.get(id), true);
        } catch (SQLException e) {
            throw new IllegalStateException("starting the rollback of " + host + " failed", e);
        }
    }

    /** Two rollbacks of one host asked at once queue behind this lock; the second finds the first. */
    private static long lockHost(Connection c, String host) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select id from host where name = ? for update")) {
            s.setString(1, host);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new NotFoundException("no host named " + host);
                }
                return r.getLong(1);
            }
        }
    }

    private static String modeOf(Connection c, long rollout) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select mode from rollout where id = ?")) {
            s.setLong(1, rollout);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new NotFoundException("no rollout " + rollout);
                }
                return r.getString(1);
            }
        }
    }

    private static Long rollbackOf(Connection c, long source, String host, String taskCondition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select r.id from rollout r join host_task t on t.rollout_id = r.id "
                + "where r.rolls_back = ? and t.host_name = ? and " + taskCondition + " order by r.id desc limit 1")) {
            s.setLong(1, source);
            s.setString(2, host);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    private static Long runningTaskOf(Connection c, long hostId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select rollout_id from host_task where host_id = ? and state = 'RUNNING'")) {
            s.setLong(1, hostId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : null;
            }
        }
    }

    /** The rollback runs the source rollout's own plan copy: the steps and parameters that captured the points. */
    private long insert(Connection c, long source, long hostId, String host) throws SQLException {
        long id;
        try (PreparedStatement s = c.prepareStatement("insert into rollout (plan_name, plan_version, plan, selector, mode, state, "
                + "reason, created_by, rolls_back) select plan_name, plan_version, plan, ?, 'ROLLBACK', 'RUNNING', ?, ?, id "
                + "from rollout where id = ? returning id")) {
            s.setString(1, "host " + host);
            s.setString(2, "rolls back rollout " + source + " on " + host);
            s.setString(3, audit.actor());
            s.setLong(4, source);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                id = r.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("insert into wave (rollout_id, number, state, hosts, started_at) "
                + "values (?, 0, 'RUNNING', 1, now())")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("insert into host_task (rollout_id, wave, host_id, host_name, state) "
                + "values (?, 0, ?, ?, 'QUEUED')")) {
            s.setLong(1, id);
            s.setLong(2, hostId);
            s.setString(3, host);
            s.executeUpdate();
        }
        return id;
    }
}
