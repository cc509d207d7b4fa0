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

    /** The point an earlier attempt of this task captured for this step, if any. */
    public Optional<StepState> find(long taskId, int position) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select cast(captured as text) from rollback_point "
                        + "where task_id = ? and position = ?")) {
            s.setLong(1, taskId);
            s.setInt(2, position);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new StepState(read(r.getString(1)))) : Optional.empty();
            }
        }
    }

    /**
     * Commits the captured state. The first capture of a task's step wins: a retried attempt probes a
     * host its predecessor may already have changed, and that later state must never replace the true
     * previous one. Returns the state that is stored.
     */
    public StepState capture(long taskId, long rolloutId, String host, int position, String step,
            Map<String, String> params, StepState captured) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into rollback_point (task_id, rollout_id, host_name, "
                        + "position, step, params, captured) values (?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb)) "
                        + "on conflict (task_id, position) do nothing")) {
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
