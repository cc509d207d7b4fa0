package dev.ballast.queue;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The durable queue's SQL, all of it: claiming tasks of open waves, renewing leases, and putting tasks
 * whose lease expired back. Time is the database's {@code now()}, so instances need no agreed clock.
 */
@ApplicationScoped
public class TaskQueue {

    /** Advisory lock keys for claims live in their own range, apart from other advisory locks. */
    private static final long CLAIM_LOCK_BASE = 1L << 40;

    private final DataSource db;

    TaskQueue(DataSource db) {
        this.db = db;
    }

    /** A rollout with a wave open for claiming, with the limits its plan sets on work in flight. */
    public record OpenRollout(long id, int concurrency, int maxInFlightPerValue) {
    }

    public List<OpenRollout> openRollouts() throws SQLException {
        List<OpenRollout> open = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select r.id, (r.plan ->> 'concurrency')::int, "
                        + "coalesce((r.plan -> 'waves' ->> 'maxInFlightPerValue')::int, 0) from rollout r "
                        + "where r.state = 'RUNNING' and exists (select 1 from wave w where w.rollout_id = r.id "
                        + "and w.state = 'RUNNING' and (w.not_before is null or w.not_before <= now())) order by r.id")) {
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    open.add(new OpenRollout(r.getLong(1), r.getInt(2), r.getInt(3)));
                }
            }
        }
        return open;
    }

    /**
     * Claims up to {@code max} queued tasks of the rollout's open waves for {@code instance}. One claimer
     * per rollout at a time (an advisory lock), so the plan's concurrency and per-rack limits hold across
     * instances; SKIP LOCKED keeps claimers of other rollouts from waiting on each other.
     */
    public List<Claimed> claim(OpenRollout rollout, int max, String instance, Duration lease) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Claimed> claimed = claim(c, rollout, max, instance, lease);
                c.commit();
                return claimed;
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState())) {
                    return List.of(); // a host was claimed by another rollout meanwhile: the next round skips it
                }
                throw e;
            }
        }
    }

    private List<Claimed> claim(Connection c, OpenRollout rollout, int max, String instance, Duration lease)
            throws SQLException {
        if (!tryLock(c, CLAIM_LOCK_BASE + rollout.id())) {
            return List.of();
        }
        int slots = Math.min(max, rollout.concurrency() - count(c, "select count(*) from host_task where rollout_id = ? "
                + "and state = 'RUNNING'", rollout.id()));
        if (slots <= 0) {
            return List.of();
        }
        Map<String, Integer> perValue = rollout.maxInFlightPerValue() > 0 ? runningPerValue(c, rollout.id()) : Map.of();
        List<Long> ids = new ArrayList<>();
        // Waves are claimed in order; a host busy in another rollout's running task is passed over.
        try (PreparedStatement s = c.prepareStatement("select t.id, t.spread_value from host_task t "
                + "join wave w on w.rollout_id = t.rollout_id and w.number = t.wave "
                + "where t.rollout_id = ? and t.state = 'QUEUED' and w.state = 'RUNNING' "
                + "and (w.not_before is null or w.not_before <= now()) "
                + "and not exists (select 1 from host_task busy where busy.host_id = t.host_id and busy.state = 'RUNNING') "
                + "order by t.wave, t.id limit ? for update of t skip locked")) {
            s.setLong(1, rollout.id());
            s.setInt(2, rollout.maxInFlightPerValue() > 0 ? slots * 8 : slots);
            try (ResultSet r = s.executeQuery()) {
                while (r.next() && ids.size() < slots) {
                    String value = r.getString(2);
                    if (rollout.maxInFlightPerValue() > 0) {
                        int inFlight = perValue.getOrDefault(value, 0);
                        if (inFlight >= rollout.maxInFlightPerValue()) {
                            continue;
                        }
                        perValue.put(value, inFlight + 1);
                    }
                    ids.add(r.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Claimed> claimed = new ArrayList<>(ids.size());
        try (PreparedStatement s = c.prepareStatement("update host_task set state = 'RUNNING', attempt = attempt + 1, "
                + "lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?), started_at = now(), "
                + "finished_at = null, error_kind = null, error = null where id = any(?) "
                + "returning id, rollout_id, wave, host_id, host_name, attempt")) {
            Array array = c.createArrayOf("bigint", ids.toArray());
            s.setString(1, instance);
            s.setDouble(2, lease.toMillis() / 1000.0);
            s.setArray(3, array);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    claimed.add(new Claimed(r.getLong(1), r.getLong(2), r.getInt(3), r.getLong(4), r.getString(5), r.getInt(6)));
                }
            }
        }
        return claimed;
    }

    /** Extends the lease of every task this instance runs (or has finished but not yet recorded). */
    public int renew(String instance, Duration lease) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update host_task set lease_expires_at = now() + make_interval(secs => ?) "
                        + "where lease_owner = ? and state = 'RUNNING'")) {
            s.setDouble(1, lease.toMillis() / 1000.0);
            s.setString(2, instance);
            return s.executeUpdate();
        }
    }

    /**
     * Puts tasks whose lease ran out back in the queue: their instance died or lost the database. The
     * next attempt starts with a probe and finds any rollback point its predecessor committed.
     */
    public int requeueExpired() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update host_task set state = 'QUEUED', lease_owner = null, "
                        + "lease_expires_at = null where state = 'RUNNING' and lease_expires_at < now()")) {
            return s.executeUpdate();
        }
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static int count(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static Map<String, Integer> runningPerValue(Connection c, long rollout) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select spread_value, count(*) from host_task where rollout_id = ? "
                + "and state = 'RUNNING' group by spread_value")) {
            s.setLong(1, rollout);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return counts;
    }
}
