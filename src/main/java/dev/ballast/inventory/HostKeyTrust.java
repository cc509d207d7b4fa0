package dev.ballast.inventory;

import java.time.Instant;
import java.util.Map;

import dev.ballast.audit.AuditLog;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.ConflictException;
import dev.ballast.remote.PinnedHostKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The inventory's trust in host keys as connections meet them: the first key of a trust-on-first-use host
 * is pinned, a host presenting another key than the pinned one is quarantined, and an admin settles a
 * quarantine by accepting the key. Each change is audited in its own transaction.
 */
@ApplicationScoped
class HostKeyTrust {

    private final EntityManager em;
    private final Jdbc jdbc;
    private final AuditLog audit;

    HostKeyTrust(EntityManager em, Jdbc jdbc, AuditLog audit) {
        this.em = em;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /**
     * Pins the key a trust-on-first-use host presented on its first connection. Conditional on no key
     * being pinned yet, so two first connections racing cannot pin two keys.
     */
    @Transactional
    void pinFirstUseKey(HostName name, PinnedHostKey presented) {
        int pinned = jdbc.update("update host set host_key = ?, updated_at = now(), version = version + 1 "
                + "where name = ? and host_key is null and trust_on_first_use", presented.toString(), name.value());
        if (pinned == 1) {
            audit.record("host.key.trust-on-first-use", "host/" + name, null, Map.of("hostKey", presented.toString()));
        }
    }

    /** Leaves the host out of all work until an admin decides about the key it presented. */
    @Transactional
    void quarantine(HostName name, PinnedHostKey presented) {
        Host host = Host.named(name);
        if (presented.toString().equals(host.quarantinedHostKey)) {
            return;
        }
        HostView before = host.view();
        host.quarantinedHostKey = presented.toString();
        host.quarantinedAt = Instant.now();
        em.flush();
        audit.record("host.key.quarantine", "host/" + name, before, host.view());
    }

    /**
     * An admin accepts the key a quarantined host presented. The key must be repeated in the request,
     * so what is accepted is exactly what the admin looked at.
     */
    @Transactional
    HostView acceptPresentedKey(HostName name, PinnedHostKey confirmed) {
        Host host = Host.named(name);
        if (host.quarantinedHostKey == null) {
            throw new ConflictException("host '" + name + "' is not quarantined; pin a key with PUT /api/hosts/" + name);
        }
        if (!host.quarantinedHostKey.equals(confirmed.toString())) {
            throw new ConflictException("host '" + name + "' presented " + host.quarantinedHostKey
                    + ", not the key in the request");
        }
        HostView before = host.view();
        host.hostKey = host.quarantinedHostKey;
        host.quarantinedHostKey = null;
        host.quarantinedAt = null;
        host.updatedAt = Instant.now();
        em.flush();
        audit.record("host.key.accept", "host/" + name, before, host.view());
        return host.view();
    }
}
