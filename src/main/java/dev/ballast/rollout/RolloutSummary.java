package dev.ballast.rollout;

import java.time.Instant;

/** A rollout in the list: what ran, where, and how far it got. */
public record RolloutSummary(long id, String plan, int planVersion, String selector, String mode, String state, int currentWave,
        Instant createdAt, Instant finishedAt) {
}
