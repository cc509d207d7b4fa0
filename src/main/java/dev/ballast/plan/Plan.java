package dev.ballast.plan;

import java.util.List;
import java.util.Map;

/**
 * A validated plan: the steps to apply with their parameters, the checks to pass first, the wave policy,
 * how many hosts at once and how long one host may take. Stored as JSON; a rollout keeps its own copy.
 */
public record Plan(String name, String description, List<Entry> steps, List<Entry> preflight, WavePolicy waves,
        int concurrency, long hostTimeoutSeconds) {

    /** One step or check of the plan by catalog id, with its raw (already validated) parameters. */
    public record Entry(String id, Map<String, String> params) {
    }
}
