package dev.ballast.rollback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.catalog.StepState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Rollback points: the exact state of a host before a step changed it. Each is committed on its own
 * before the step's apply runs, so no change is ever made that the database does not know how to undo.
 */
@ApplicationScoped
public class RollbackPoints {

    public enum State { CAPTURED, ROLLED_BACK, ROLLBACK_FAILED }

    private final DataSource db;
    private final ObjectMapper json;

    RollbackPoints(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * The point an earlier attempt of this task captured for this step and nobody restored, if any. A
     * restored point describes a change that is undone: it is nothing a later attempt has to carry.
     */
    public Optional<StepState> find(long taskId, int position) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select cast(captured as text) from rollback_point "
                        + "where task_id = ? and position = ? and state <> 'ROLLED_BACK'")) {
            s.setLong(1, taskId);
            s.setInt(2, position);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new StepState(read(r.getString(1)))) : Optional.empty();
            }
        }
    }

    /**
     * Commits the captured state. The first capture of a task's step wins while it waits to be restored:
     * a retried attempt probes a host its predecessor may already have changed, and that later state must
     * never replace the true previous one. A point already restored is replaced: the host went back to it,
     * and the new attempt's change starts from what the host holds now. Returns the state that is stored.
     */
    public StepState capture(long taskId, long rolloutId, String host, int position, String step,
            Map<String, String> params, StepState captured) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into rollback_point (task_id, rollout_id, host_name, "
                        + "position, step, params, captured) values (?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb)) "
                        + "on conflict (task_id, position) do update set params = excluded.params, captured = excluded.captured, "
                        + "state = 'CAPTURED', created_at = now() where rollback_point.state = 'ROLLED_BACK'")) {
            s.setLong(1, taskId);
            s.setLong(2, rolloutId);
            s.setString(3, host);
            s.setInt(4, position);
            s.setString(5, step);
            s.setString(6, write(params));
            s.setString(7, write(captured.facts()));
            if (s.executeUpdate() == 1) {
                return captured;
            }
        }
        return find(taskId, position).orElseThrow();
    }

    /** One captured point as operators see it (secrets masked). */
    public record PointView(int position, String step, Map<String, String> params, Map<String, String> captured,
            String state, java.time.Instant createdAt) {
    }

    /** The points of one host from one rollout, in the order the steps ran. */
    public record RolloutPoints(long rollout, String plan, int planVersion, java.util.List<PointView> points) {
        /** Whether any point is left to restore (the UI offers Roll back only then). */
        public boolean restorable() {
            return points.stream().anyMatch(p -> !p.state().equals(State.ROLLED_BACK.name()));
        }
    }

    /** Every rollback point of a host, grouped by rollout, newest rollout first. */
    public java.util.List<RolloutPoints> ofHost(String host) throws SQLException {
        Map<Long, RolloutPoints> byRollout = new java.util.LinkedHashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select p.rollout_id, r.plan_name, r.plan_version, p.position, p.step, "
                        + "cast(p.params as text), cast(p.captured as text), p.state, p.created_at from rollback_point p "
                        + "join rollout r on r.id = p.rollout_id where p.host_name = ? order by p.rollout_id desc, p.position")) {
            s.setString(1, host);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    RolloutPoints group = byRollout.computeIfAbsent(r.getLong(1), id -> new RolloutPoints(id, null, 0,
                            new java.util.ArrayList<>()));
                    if (group.plan() == null) {
                        group = new RolloutPoints(group.rollout(), r.getString(2), r.getInt(3), group.points());
                        byRollout.put(group.rollout(), group);
                    }
                    group.points().add(new PointView(r.getInt(4), r.getString(5), read(r.getString(6)),
                            new StepState(read(r.getString(7))).redacted().facts(), r.getString(8),
                            r.getTimestamp(9).toInstant()));
                }
            }
        }
        return java.util.List.copyOf(byRollout.values());
    }

    /** A point still to be restored, with the task and position that identify it. */
    public record Captured(long taskId, int position, String step, StepState captured) {
    }

    /** The points a rollout captured on a host and nobody has restored yet, the last applied first. */
    public java.util.List<Captured> unrestored(long rollout, String host) throws SQLException {
        java.util.List<Captured> points = new java.util.ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select task_id, position, step, cast(captured as text) "
                        + "from rollback_point where rollout_id = ? and host_name = ? and state <> 'ROLLED_BACK' "
                        + "order by position desc")) {
            s.setLong(1, rollout);
            s.setString(2, host);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    points.add(new Captured(r.getLong(1), r.getInt(2), r.getString(3), new StepState(read(r.getString(4)))));
                }
            }
        }
        return points;
    }

    public void mark(long taskId, int position, State state) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update rollback_point set state = ? where task_id = ? and position = ?")) {
            s.setString(1, state.name());
            s.setLong(2, taskId);
            s.setInt(3, position);
            s.executeUpdate();
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> read(String text) {
        try {
            return json.readValue(text, new TypeReference<java.util.LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rollback point cannot be read", e);
        }
    }
}
