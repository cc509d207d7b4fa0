package dev.ballast.security;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.ballast.jdbc.Jdbc;
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

    private final Jdbc jdbc;
    private final Duration lifetime;

    WebSessions(Jdbc jdbc, @ConfigProperty(name = "ballast.security.session-lifetime", defaultValue = "12h") Duration lifetime) {
        this.jdbc = jdbc;
        this.lifetime = lifetime;
    }

    Duration lifetime() {
        return lifetime;
    }

    Opened open(String user) {
        String id = Secrets.generate("bls_");
        String csrf = Secrets.generate("");
        jdbc.update("insert into web_session (id_hash, user_name, csrf_token, expires_at) values (?, ?, ?, now() + ?::interval)",
                Secrets.hash(id), user, csrf, lifetime.toSeconds() + " seconds");
        return new Opened(id, csrf);
    }

    Optional<Caller> find(String id) {
        return jdbc.one("select u.name, u.role, s.csrf_token from web_session s join app_user u on u.name = s.user_name "
                + "where s.id_hash = ? and s.expires_at > now()",
                r -> new Caller(r.getString(1), Role.parse(r.getString(2)), r.getString(3)), Secrets.hash(id));
    }

    /** Ends the session, and any session that has expired meanwhile. */
    void close(String id) {
        jdbc.update("delete from web_session where id_hash = ? or expires_at < now()", Secrets.hash(id));
    }
}
