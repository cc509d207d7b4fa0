package dev.ballast.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.ballast.input.Names;
import dev.ballast.audit.AuditLog;
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

    private final DataSource db;
    private final AuditLog audit;

    ApiTokens(DataSource db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    @Transactional
    public NewToken create(String name, Role role) {
        Names.check("name", name);
        String secret = Secrets.generate(PREFIX);
        long id;
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into api_token (name, role, secret_hash, created_by) "
                        + "values (?, ?, ?, ?) on conflict (name) do nothing returning id")) {
            s.setString(1, name);
            s.setString(2, role.id());
            s.setBytes(3, Secrets.hash(secret));
            s.setString(4, audit.actor());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new ConflictException("a token named " + name + " exists already");
                }
                id = r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        audit.record("token.create", "token/" + name, null, java.util.Map.of("role", role.id()));
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
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into api_token (name, role, secret_hash, created_by) "
                        + "values ('bootstrap', 'admin', ?, 'configuration') on conflict (name) do update "
                        + "set secret_hash = excluded.secret_hash, role = 'admin', revoked_at = null "
                        + "where api_token.secret_hash <> excluded.secret_hash or api_token.revoked_at is not null")) {
            s.setBytes(1, Secrets.hash(secret));
            if (s.executeUpdate() == 1) {
                audit.record("token.bootstrap", "token/bootstrap", null, java.util.Map.of("role", "admin"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<TokenView> list() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, name, role, created_by, created_at, last_used_at, "
                        + "revoked_at from api_token order by name");
                ResultSet r = s.executeQuery()) {
            List<TokenView> tokens = new ArrayList<>();
            while (r.next()) {
                tokens.add(new TokenView(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                        instant(r, 5), instant(r, 6), instant(r, 7)));
            }
            return tokens;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public void revoke(long id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("update api_token set revoked_at = now() "
                        + "where id = ? and revoked_at is null returning name, role")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new NotFoundException("no active token with id " + id);
                }
                audit.record("token.revoke", "token/" + r.getString(1), java.util.Map.of("role", r.getString(2)), null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token's name and role for a presented secret; notes when it was used, at most once a minute. */
    Optional<Caller> authenticate(String secret) {
        if (!secret.startsWith(PREFIX) && secret.length() < 32) {
            return Optional.empty();
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, name, role, coalesce(last_used_at < now() - interval "
                        + "'1 minute', true) from api_token where secret_hash = ? and revoked_at is null")) {
            s.setBytes(1, Secrets.hash(secret));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                if (r.getBoolean(4)) {
                    try (PreparedStatement used = c.prepareStatement("update api_token set last_used_at = now() where id = ?")) {
                        used.setLong(1, r.getLong(1));
                        used.executeUpdate();
                    }
                }
                return Optional.of(new Caller("token:" + r.getString(2), Role.parse(r.getString(3)), null));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant instant(ResultSet r, int column) throws SQLException {
        java.sql.Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
