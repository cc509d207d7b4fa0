package dev.ballast.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.ballast.problem.InvalidInputException;
import jakarta.ws.rs.QueryParam;

/**
 * Which audit records to list: by actor (exact), action ({@code sweep.update}, or {@code sweep} for every
 * sweep action), target ({@code host/lab-001}, or {@code host} for every host) and a time range, each
 * optional. Built from query parameters, so a bad one is a 400 naming it.
 */
public record AuditFilter(String actor, String action, String target, Instant since, Instant until) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null);

    private static final int LONGEST = 200;

    /** The filter's query parameters, as the API and the audit page take them. */
    public static class Query {
        @QueryParam("actor")
        String actor;
        @QueryParam("action")
        String action;
        @QueryParam("target")
        String target;
        @QueryParam("since")
        String since;
        @QueryParam("until")
        String until;

        public AuditFilter filter() {
            return parse(actor, action, target, since, until);
        }
    }

    public static AuditFilter parse(String actor, String action, String target, String since, String until) {
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (from != null && to != null && to.isBefore(from)) {
            throw InvalidInputException.of("until", "'" + until + "' is before since (" + since + ")");
        }
        return new AuditFilter(text("actor", actor), text("action", action), text("target", target), from, to);
    }

    /** Whether any filter is set (the page says so). */
    public boolean narrowed() {
        return actor != null || action != null || target != null || since != null || until != null;
    }

    private static String text(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > LONGEST) {
            throw InvalidInputException.of(field, "is longer than " + LONGEST + " characters");
        }
        return raw.strip();
    }

    private static Instant instant(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw InvalidInputException.of(field, "'" + raw + "' is not an instant such as 2026-11-29T18:00:00Z");
        }
    }
}
