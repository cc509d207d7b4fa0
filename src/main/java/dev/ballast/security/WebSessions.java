package dev.ballast.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * UI sessions in PostgreSQL, so every Ballast replica knows every session and logging out ends it
 * everywhere. The browser holds the session id in an HttpOnly cookie; the database holds its hash and
 * the CSRF token the UI's changes must send back in a header.
 */
@ApplicationScoped
public class WebSessions {

    public static final String COOKIE = "ballast_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    /** A session just opened: the cookie value and the CSRF token for the page. */
    record Opened(String id, String csrfToken) {
    }

    private final DataSource db;
    private final Duration lifetime;

    WebSessions(DataSource db, @ConfigProperty(name = "ballast.security.session-lifetime", defaultValue = "12h") Duration lifetime) {
        this.db = db;
        this.lifetime = lifetime;
    }

    Duration lifetime() {
        return lifetime;
    }

    Opened open(String user) {
        String id = Secrets.generate("bls_");
        String csrf = Secrets.generate("");
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into web_session (id_hash, user_name, csrf_token, expires_at) "
                        + "values (?, ?, ?, now() + ?::interval)")) {
            s.setBytes(1, Secrets.hash(id));
            s.setString(2, user);
            s.setString(3, csrf);
            s.setString(4, lifetime.toSeconds() + " seconds");
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Opened(id, csrf);
    }

    Optional<Caller> find(String id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select u.name, u.role, s.csrf_token from web_session s "
                        + "join app_user u on u.name = s.user_name where s.id_hash = ? and s.expires_at > now()")) {
            s.setBytes(1, Secrets.hash(id));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Caller(r.getString(1), Role.parse(r.getString(2)), r.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the session, and any session that has expired meanwhile. */
    void close(String id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from web_session where id_hash = ? or expires_at < now()")) {
            s.setBytes(1, Secrets.hash(id));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
