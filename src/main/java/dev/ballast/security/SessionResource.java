package dev.ballast.security;

import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestCookie;

import dev.ballast.audit.AuditLog;
import dev.ballast.input.Check;
import dev.ballast.problem.InvalidInputException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/**
 * The UI's login: {@code POST /api/session} with a name and password sets the session cookie and answers
 * the CSRF token the page must send with every change; {@code DELETE} logs out; {@code GET} says who is
 * calling (users and tokens alike).
 */
@Path("/api/session")
public class SessionResource {

    private static final Logger LOG = Logger.getLogger(SessionResource.class);
    /** The actor of a failed login: nobody has been identified. */
    private static final String ANONYMOUS = "anonymous";

    public record LoginRequest(String name, String password) {
    }

    /** Who is calling; the CSRF token only for a UI session. */
    public record Whoami(String name, String role, String csrfToken) {
    }

    private final Users users;
    private final WebSessions sessions;
    private final SessionCookies cookies;
    private final AuditLog audit;
    private final SecurityIdentity identity;
    private final LoginThrottle throttle;

    SessionResource(Users users, WebSessions sessions, SessionCookies cookies, AuditLog audit, SecurityIdentity identity,
            LoginThrottle throttle) {
        this.users = users;
        this.sessions = sessions;
        this.cookies = cookies;
        this.audit = audit;
        this.identity = identity;
        this.throttle = throttle;
    }

    /**
     * Not one transaction: a login waits for a permit to check its password, and must not hold a database
     * connection meanwhile. The session, its audit and a failure's records each commit on their own.
     */
    @POST
    @PermitAll
    public Response login(LoginRequest request, @Context HttpServerRequest http) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw InvalidInputException.of("name", "is required");
        }
        if (request.password() == null || request.password().isEmpty()) {
            throw InvalidInputException.of("password", "is required");
        }
        String address = http.remoteAddress().hostAddress();
        throttle.requireUnlocked(request.name(), address);
        Optional<Role> checked = throttle.checking(() -> users.check(request.name(), request.password()));
        if (checked.isEmpty()) {
            failed(request.name(), address);
            throw new AuthenticationFailedException("wrong name or password");
        }
        Role role = checked.get();
        WebSessions.Opened opened = QuarkusTransaction.requiringNew().call(() -> {
            throttle.succeeded(request.name());
            audit.recordAs(request.name(), "session.login", "user/" + request.name(), null, Map.of("role", role.id()));
            return sessions.open(request.name());
        });
        return Response.ok(new Whoami(request.name(), role.id(), opened.csrfToken()))
                .cookie(cookies.of(opened.id(), sessions.lifetime(), http.isSSL())).build();
    }

    /**
     * A failed login is logged, audited (the name tried, escaped and cut short, and the client's address;
     * never the password) and counted against the name and the address.
     */
    private void failed(String name, String address) {
        String tried = Check.quoted(name);
        LOG.warnf("Failed login for %s from %s", tried, address);
        QuarkusTransaction.requiringNew().run(() -> {
            audit.recordAs(ANONYMOUS, "session.login-failed", "user/" + tried.substring(1, tried.length() - 1), null,
                    Map.of("address", address));
            throttle.failed(name, address);
        });
    }

    @GET
    public Whoami whoami() {
        String role = java.util.Arrays.stream(Role.values()).sorted(java.util.Comparator.reverseOrder())
                .filter(r -> identity.hasRole(r.id())).findFirst().map(Role::id).orElse(null);
        return new Whoami(identity.getPrincipal().getName(), role, identity.getAttribute(CallerIdentities.CSRF_ATTRIBUTE));
    }

    @DELETE
    @Transactional
    public Response logout(@RestCookie(WebSessions.COOKIE) String session, @Context HttpServerRequest http) {
        if (session != null) {
            sessions.close(session);
            audit.record("session.logout", "user/" + identity.getPrincipal().getName(), null, null);
        }
        return Response.noContent().cookie(cookies.of("", java.time.Duration.ZERO, http.isSSL())).build();
    }
}
