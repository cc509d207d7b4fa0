package dev.ballast.compliance;

import java.time.Instant;

/** A sweep as stored and listed: its schedule, what it checks, and when it runs next. */
public record SweepDefinition(long id, String name, String cron, String timeZone, String selector, String plan,
        boolean remediate, String createdBy, Instant createdAt, Instant nextRunAt) {
}
