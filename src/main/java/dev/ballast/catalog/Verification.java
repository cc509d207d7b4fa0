package dev.ballast.catalog;

import java.util.List;

/**
 * What verify found after apply. "Applied" (the configuration that survives says what the step wants)
 * and "in effect" (the running system does) are kept apart, so a change that waits for a domain restart
 * is reported as such, and a change something undid is not mistaken for one that waits. {@code observed}
 * is the state verify probed, recorded as the host's state after the step; {@code pendingRestart} the
 * domains that still run the old configuration; {@code domainLogs} the QEMU logs of addressed domains found crashed
 * or failed to start, which should be running.
 */
public record Verification(StepState observed, boolean applied, boolean inEffect, List<Drift> remaining,
        List<PendingRestart> pendingRestart, String note, List<DomainLog> domainLogs) {

    /** A step whose changes never wait for a domain's cold start. */
    public Verification(StepState observed, boolean applied, boolean inEffect, List<Drift> remaining, String note) {
        this(observed, applied, inEffect, remaining, List.of(), note, List.of());
    }

    /** Passed when applied, and in effect unless the step's effect is deferred by its nature. */
    public boolean passed(Effect effect) {
        return applied && (inEffect || effect != Effect.IMMEDIATE);
    }
}
