package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.catalog.Catalog;
import dev.ballast.catalog.PreflightCheck;
import dev.ballast.catalog.TuningStep;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.plan.Plan;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

/** The plan copy and mode each rollout runs: immutable once the rollout exists, so read once per process. */
@ApplicationScoped
class RolloutPlans {

    /** The plan with its steps and checks bound to their parameters once, not once per host. */
    record RolloutPlan(Plan plan, Mode mode, List<TuningStep.Configured<?>> steps, List<PreflightCheck.Configured<?>> checks,
            Long rollsBack, boolean forced) {
    }

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Catalog catalog;
    private final Map<Long, RolloutPlan> cache = new ConcurrentHashMap<>();

    RolloutPlans(Jdbc jdbc, ObjectMapper json, Catalog catalog) {
        this.jdbc = jdbc;
        this.json = json;
        this.catalog = catalog;
    }

    RolloutPlan of(long rollout) {
        RolloutPlan known = cache.get(rollout);
        if (known != null) {
            return known;
        }
        record Row(String plan, String mode, Long rollsBack, boolean forced) {
        }
        Row row = jdbc.one("select cast(plan as text), mode, rolls_back, forced from rollout where id = ?",
                r -> new Row(r.getString(1), r.getString(2), (Long) r.getObject(3), r.getBoolean(4)), rollout)
                .orElseThrow(() -> new NotFoundException("no rollout " + rollout));
        Plan plan = read(rollout, row.plan());
        List<TuningStep.Configured<?>> steps = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            steps.add(catalog.step("steps[" + i + "]", plan.steps().get(i).id(), plan.steps().get(i).params()));
        }
        List<PreflightCheck.Configured<?>> checks = new ArrayList<>();
        for (int i = 0; i < plan.preflight().size(); i++) {
            checks.add(catalog.check("preflight[" + i + "]", plan.preflight().get(i).id(), plan.preflight().get(i).params()));
        }
        RolloutPlan loaded = new RolloutPlan(plan, Mode.valueOf(row.mode()), List.copyOf(steps), List.copyOf(checks),
                row.rollsBack(), row.forced());
        cache.put(rollout, loaded);
        return loaded;
    }

    private Plan read(long rollout, String text) {
        try {
            return json.readValue(text, Plan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rollout " + rollout + " holds an unreadable plan", e);
        }
    }
}
