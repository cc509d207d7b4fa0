package dev.ballast.rollout;

import java.time.Instant;
import java.util.List;

import dev.ballast.catalog.PendingRestart;
import dev.ballast.jdbc.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The domains of each host that wait for a cold start before a step's change is in effect, and since
 * when: what an apply's verify or a check run last saw, per host and step. The only SQL on
 * {@code pending_restart}.
 */
@ApplicationScoped
public class PendingRestarts {

    /** One domain that waits, for one step: since the first apply or check that saw it wait. */
    public record Waiting(String step, String domainUuid, String domainName, Instant since, Instant seenAt) {
    }

    private final Jdbc jdbc;

    PendingRestarts(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records what a step's apply or check found waiting on a host now; whatever no longer waits is removed. */
    void saw(String host, String step, List<PendingRestart> waiting) {
        String[] uuids = waiting.stream().map(PendingRestart::uuid).toArray(String[]::new);
        jdbc.newTransaction(() -> {
            jdbc.update("delete from pending_restart where host_name = ? and step = ? and domain_uuid <> all (?)", host, step, uuids);
            for (PendingRestart domain : waiting) {
                jdbc.update("insert into pending_restart (host_name, step, domain_uuid, domain_name) values (?, ?, ?, ?) "
                        + "on conflict (host_name, step, domain_uuid) do update set domain_name = excluded.domain_name, seen_at = now()",
                        host, step, domain.uuid(), domain.name());
            }
            return null;
        });
    }

    /** A step rolled back on a host: its change is gone, so nothing waits for it any more. */
    void forget(String host, String step) {
        jdbc.update("delete from pending_restart where host_name = ? and step = ?", host, step);
    }

    public List<Waiting> ofHost(String host) {
        return jdbc.list("select step, domain_uuid, domain_name, since, seen_at from pending_restart where host_name = ? "
                + "order by since, domain_name, step", r -> new Waiting(r.getString(1), r.getString(2), r.getString(3),
                        r.getTimestamp(4).toInstant(), r.getTimestamp(5).toInstant()), host);
    }
}
