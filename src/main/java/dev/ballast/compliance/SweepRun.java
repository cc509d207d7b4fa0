package dev.ballast.compliance;

import java.time.Instant;

/**
 * One run of a sweep: the check rollout it started and what that found, for the drift-over-time view;
 * duplicateFirings counts firings of the same time after the first (0 when Quartz is clustered everywhere);
 * pendingRestartHosts counts hosts configured right whose running guests still use the old configuration
 * (they need a cold restart, not a remediation).
 */
public record SweepRun(long id, long sweep, Instant scheduledFor, Instant startedAt, Instant finishedAt, String state,
        Long rollout, Integer hosts, Integer driftedHosts, Integer drifts, Integer unreachableHosts, Long remediationRollout,
        String error, int duplicateFirings, Integer pendingRestartHosts) {
}
