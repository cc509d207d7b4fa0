package dev.ballast.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.catalog.Catalog;
import dev.ballast.catalog.PreflightCheck;
import dev.ballast.catalog.TuningStep;
import dev.ballast.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;

/** The plan copy and mode each rollout runs: immutable once the rollout exists, so read once per process. */
@ApplicationScoped
class RolloutPlans {

    /** The plan with its steps and checks bound to their parameters once, not once per host. */
    record RolloutPlan(Plan plan, Mode mode, List<TuningStep.Configured<?>> steps, List<PreflightCheck.Configured<?>> checks,
            Long rollsBack) {
    }

    private final DataSource db;
    private final ObjectMapper json;
    private final Catalog catalog;
    private final Map<Long, RolloutPlan> cache = new ConcurrentHashMap<>();

    RolloutPlans(DataSource db, ObjectMapper json, Catalog catalog) {
        this.db = db;
        this.json = json;
        this.catalog = catalog;
    }

    RolloutPlan of(long rollout) throws SQLException {
        RolloutPlan known = cache.get(rollout);
        if (known != null) {
            return known;
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select cast(plan as text), mode, rolls_back from rollout where id = ?")) {
            s.setLong(1, rollout);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                Plan plan = json.readValue(r.getString(1), Plan.class);
                List<TuningStep.Configured<?>> steps = new ArrayList<>();
                for (int i = 0; i < plan.steps().size(); i++) {
                    steps.add(catalog.step("steps[" + i + "]", plan.steps().get(i).id(), plan.steps().get(i).params()));
                }
                List<PreflightCheck.Configured<?>> checks = new ArrayList<>();
                for (int i = 0; i < plan.preflight().size(); i++) {
                    checks.add(catalog.check("preflight[" + i + "]", plan.preflight().get(i).id(),
                            plan.preflight().get(i).params()));
                }
                long rollsBack = r.getLong(3);
                RolloutPlan loaded = new RolloutPlan(plan, Mode.valueOf(r.getString(2)), List.copyOf(steps), List.copyOf(checks),
                        r.wasNull() ? null : rollsBack);
                cache.put(rollout, loaded);
                return loaded;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("rollout " + rollout + " holds an unreadable plan", e);
            }
        }
    }
}
