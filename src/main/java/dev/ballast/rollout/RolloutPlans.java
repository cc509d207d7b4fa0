package dev.ballast.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;

/** The plan copy and mode each rollout runs: immutable once the rollout exists, so read once per process. */
@ApplicationScoped
class RolloutPlans {

    record RolloutPlan(Plan plan, Mode mode) {
    }

    private final DataSource db;
    private final ObjectMapper json;
    private final Map<Long, RolloutPlan> cache = new ConcurrentHashMap<>();

    RolloutPlans(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    RolloutPlan of(long rollout) throws SQLException {
        RolloutPlan known = cache.get(rollout);
        if (known != null) {
            return known;
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select cast(plan as text), mode from rollout where id = ?")) {
            s.setLong(1, rollout);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                RolloutPlan loaded = new RolloutPlan(json.readValue(r.getString(1), Plan.class), Mode.valueOf(r.getString(2)));
                cache.put(rollout, loaded);
                return loaded;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("rollout " + rollout + " holds an unreadable plan", e);
            }
        }
    }
}
