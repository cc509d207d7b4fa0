package dev.ballast.rollout;

import java.time.Instant;
import java.util.List;

/** A host's task in a rollout, as the paged host list shows it. */
public record HostTaskView(String host, int wave, String state, int attempt, String errorKind, String error, Instant startedAt,
        Instant finishedAt) {

    /** One page of a rollout's hosts. */
    public record Page(List<HostTaskView> items, int page, int size, long total) {
    }

    /** A host's task in a rollout with every record of every attempt. */
    public record Detail(HostTaskView task, List<StepView> history) {
    }

    /** One step record of a host, as its history shows it; {@code domainLogs} the QEMU log tails kept with it, or null. */
    public record StepView(int attempt, int position, String kind, String name, String outcome, Object before, Object after,
            Object drift, String detail, String output, Integer exitCode, long durationMs, String instance, Instant at,
            Object domainLogs) {
    }
}
