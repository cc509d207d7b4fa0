package dev.ballast.security;

import java.util.Set;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Changes made with a UI session must carry the session's CSRF token in {@value WebSessions#CSRF_HEADER}:
 * a page on another site can make the browser send the cookie, never the header. API tokens are not
 * sent by browsers on their own, so token callers need no CSRF token.
 */
class CsrfCheck {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final CurrentIdentityAssociation identities;

    CsrfCheck(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter
    Uni<Void> check(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return Uni.createFrom().voidItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            String expected = identity.getAttribute(CallerIdentities.CSRF_ATTRIBUTE);
            if (expected != null && !Secrets.same(expected, request.getHeaderString(WebSessions.CSRF_HEADER))) {
                throw new ForbiddenException("a change made from a UI session needs the page's CSRF token in the "
                        + WebSessions.CSRF_HEADER + " header; reload the page");
            }
            return null;
        });
    }
}
