package dev.ballast.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ballast.audit.AuditLog;
import dev.ballast.input.Names;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * API tokens for scripts and other tools. The secret is shown once, when the token is made; the database
 * keeps its SHA-256 only. A revoked token stays listed (who made it, when it was last used).
 */
@ApplicationScoped
public class ApiTokens {

    static final String PREFIX = "blt_";

    /** A token as listed: never its secret. */
    public record TokenView(long id, String name, String role, String createdBy, Instant createdAt, Instant lastUsedAt,
            Instant revokedAt) {
    }

    /** A token just made, with its secret: the only time the secret leaves Ballast. */
    public record NewToken(long id, String name, String role, String token) {
    }

    private final Jdbc jdbc;
    private final AuditLog audit;

    ApiTokens(Jdbc jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional
    public NewToken create(String name, Role role) {
        Names.check("name", name);
        String secret = Secrets.generate(PREFIX);
        long id = jdbc.one("insert into api_token (name, role, secret_hash, created_by) values (?, ?, ?, ?) "
                + "on conflict (name) do nothing returning id", r -> r.getLong(1), name, role.id(), Secrets.hash(secret),
                audit.actor()).orElseThrow(() -> new ConflictException("a token named " + name + " exists already"));
        audit.record("token.create", "token/" + name, null, Map.of("role", role.id()));
        return new NewToken(id, name, role.id(), secret);
    }

    /**
     * Makes sure a token with exactly this secret exists with the admin role: how a deployment hands
     * Ballast its first credential (a Kubernetes Secret, an environment variable) without a UI.
     */
    @Transactional
    public void ensureBootstrap(String secret) {
        if (secret.length() < 32) {
            throw InvalidInputException.of("ballast.security.bootstrap-token", "must be at least 32 characters long");
        }
        int changed = jdbc.update("insert into api_token (name, role, secret_hash, created_by) "
                + "values ('bootstrap', 'admin', ?, 'configuration') on conflict (name) do update "
                + "set secret_hash = excluded.secret_hash, role = 'admin', revoked_at = null "
                + "where api_token.secret_hash <> excluded.secret_hash or api_token.revoked_at is not null",
                Secrets.hash(secret));
        if (changed == 1) {
            audit.record("token.bootstrap", "token/bootstrap", null, Map.of("role", "admin"));
        }
    }

    public List<TokenView> list() {
        return jdbc.list("select id, name, role, created_by, created_at, last_used_at, revoked_at from api_token order by name",
                r -> new TokenView(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), instant(r.getTimestamp(5)),
                        instant(r.getTimestamp(6)), instant(r.getTimestamp(7))));
    }

    @Transactional
    public void revoke(long id) {
        record Revoked(String name, String role) {
        }
        Revoked revoked = jdbc.one("update api_token set revoked_at = now() where id = ? and revoked_at is null "
                + "returning name, role", r -> new Revoked(r.getString(1), r.getString(2)), id)
                .orElseThrow(() -> new NotFoundException("no active token with id " + id));
        audit.record("token.revoke", "token/" + revoked.name(), Map.of("role", revoked.role()), null);
    }

    /** The token's name and role for a presented secret; notes when it was used, at most once a minute. */
    Optional<Caller> authenticate(String secret) {
        if (!secret.startsWith(PREFIX) && secret.length() < 32) {
            return Optional.empty();
        }
        record Found(long id, String name, String role, boolean noteUse) {
        }
        Optional<Found> found = jdbc.one("select id, name, role, coalesce(last_used_at < now() - interval '1 minute', true) "
                + "from api_token where secret_hash = ? and revoked_at is null",
                r -> new Found(r.getLong(1), r.getString(2), r.getString(3), r.getBoolean(4)), Secrets.hash(secret));
        found.filter(Found::noteUse).ifPresent(token -> jdbc.update("update api_token set last_used_at = now() where id = ?",
                token.id()));
        return found.map(token -> new Caller("token:" + token.name(), Role.parse(token.role()), null));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
