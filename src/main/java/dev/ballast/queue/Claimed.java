package dev.ballast.queue;

/** A host task this instance holds under its lease. */
public record Claimed(long taskId, long rolloutId, int wave, long hostId, String host, int attempt) {
}
