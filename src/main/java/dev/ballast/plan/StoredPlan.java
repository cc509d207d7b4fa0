package dev.ballast.plan;

import java.time.Instant;

/** One version of a plan as stored, with the document as its author wrote it. */
public record StoredPlan(String name, int version, Plan plan, String source, Instant createdAt, String createdBy) {
}
