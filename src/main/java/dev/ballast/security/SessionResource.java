package dev.ballast.security;

import java.util.Map;

import org.jboss.resteasy.reactive.RestCookie;

import dev.ballast.audit.AuditLog;
import dev.ballast.problem.InvalidInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The UI's login: {@code POST /api/session} with a name and password sets the session cookie and answers
 * the CSRF token the page must send with every change; {@code DELETE} logs out; {@code GET} says who is
 * calling (users and tokens alike).
 */
@Path("/api/session")
public class SessionResource {

    public record LoginRequest(String name, String password) {
    }

    /** Who is calling; the CSRF token only for a UI session. */
    public record Whoami(String name, String role, String csrfToken) {
    }

    private final Users users;
    private final WebSessions sessions;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    SessionResource(Users users, WebSessions sessions, AuditLog audit, SecurityIdentity identity) {
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.identity = identity;
    }

    @POST
    @PermitAll
    @Transactional
    public Response login(LoginRequest request, @Context UriInfo uri) {
        if (request == null || request.name() == null || request.name().isBlank()) {
            throw InvalidInputException.of("name", "is required");
        }
        if (request.password() == null || request.password().isEmpty()) {
            throw InvalidInputException.of("password", "is required");
        }
        Role role = users.check(request.name(), request.password())
                .orElseThrow(() -> new AuthenticationFailedException("wrong name or password"));
        WebSessions.Opened opened = sessions.open(request.name());
        audit.recordAs(request.name(), "session.login", "user/" + request.name(), null, Map.of("role", role.id()));
        return Response.ok(new Whoami(request.name(), role.id(), opened.csrfToken()))
                .cookie(cookie(opened.id(), (int) sessions.lifetime().toSeconds(), uri)).build();
    }

    @GET
    public Whoami whoami() {
        String role = java.util.Arrays.stream(Role.values()).sorted(java.util.Comparator.reverseOrder())
                .filter(r -> identity.hasRole(r.id())).findFirst().map(Role::id).orElse(null);
        return new Whoami(identity.getPrincipal().getName(), role, identity.getAttribute(CallerIdentities.CSRF_ATTRIBUTE));
    }

    @DELETE
    @Transactional
    public Response logout(@RestCookie(WebSessions.COOKIE) String session, @Context UriInfo uri) {
        if (session != null) {
            sessions.close(session);
            audit.record("session.logout", "user/" + identity.getPrincipal().getName(), null, null);
        }
        return Response.noContent().cookie(cookie("", 0, uri)).build();
    }

    private static NewCookie cookie(String value, int maxAge, UriInfo uri) {
        return new NewCookie.Builder(WebSessions.COOKIE).value(value).path("/").maxAge(maxAge).httpOnly(true)
                .secure("https".equals(uri.getBaseUri().getScheme())).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
