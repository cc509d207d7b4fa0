package dev.ballast.rollout;

import java.util.List;
import java.util.Map;

import dev.ballast.catalog.Drift;

/** One line of a host's history: what a check, step or rollback saw, did and printed. */
record StepRecord(int attempt, int position, String kind, String name, String outcome, Map<String, String> before,
        Map<String, String> after, List<Drift> drift, String detail, String output, Integer exitCode, long durationMs) {
}
