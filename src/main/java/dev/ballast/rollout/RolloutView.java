package dev.ballast.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A rollout at a glance: its state, its waves with counts per task state, and the totals. */
public record RolloutView(long id, String plan, int planVersion, String selector, String mode, String state,
        int currentWave, String reason, String createdBy, Instant createdAt, Instant finishedAt, List<WaveView> waves,
        Map<String, Integer> totals) {

    /** Nothing will move without an operator any more: ended, halted or failed (retry-failed can move it again). */
    public boolean settled() {
        return RolloutState.valueOf(state).isSettled();
    }

    /** The controls an operator may use now (see {@link RolloutState#controls()}); in the JSON as {@code controls}. */
    @JsonProperty("controls")
    public List<String> controls() {
        return RolloutState.valueOf(state).controls();
    }

    /**
     * {@code name} is how every page and reason calls it: "canary" for a plan's canary, else "wave N".
     * {@code healthGate}: what the plan's gate saw on the wave's hosts so far, one line per signal.
     */
    public record WaveView(int number, String name, String state, int hosts, Instant notBefore, String approvedBy,
            Instant startedAt, Instant finishedAt, Map<String, Integer> counts, int percentDone, List<GateView> healthGate) {
    }

    /** One gate signal over a wave's hosts; {@code figure} is null when no host recorded one (a gate run before it was kept). */
    public record GateView(String signal, int passed, int failed, String figure) {
    }
}
