package dev.ballast.security;

import java.util.Optional;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a token or session into an identity with its role and every role below it; a database lookup. */
@ApplicationScoped
class CallerIdentities implements IdentityProvider<CallerRequest> {

    static final String CSRF_ATTRIBUTE = "ballast.csrf";

    private final ApiTokens tokens;
    private final WebSessions sessions;

    CallerIdentities(ApiTokens tokens, WebSessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Override
    public Class<CallerRequest> getRequestType() {
        return CallerRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CallerRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Optional<Caller> caller = request.kind() == CallerRequest.Kind.TOKEN ? tokens.authenticate(request.secret())
                    : sessions.find(request.secret());
            Caller found = caller.orElseThrow(() -> new AuthenticationFailedException(request.kind() == CallerRequest.Kind.TOKEN
                    ? "the API token is unknown or revoked" : "the session has ended; log in again"));
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(found.name()))
                    .addRoles(found.role().granted());
            if (found.csrfToken() != null) {
                identity.addAttribute(CSRF_ATTRIBUTE, found.csrfToken());
            }
            return identity.build();
        });
    }
}
