package dev.ballast.security;

import java.util.Optional;
import java.util.Set;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads who is calling: {@code Authorization: Bearer TOKEN} for scripts, the session cookie for the UI.
 * A request with neither is anonymous, and every endpoint but the login page then answers 401.
 */
@ApplicationScoped
class CallerAuthentication implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return identities.authenticate(new CallerRequest(CallerRequest.Kind.TOKEN, authorization.substring(7).strip()));
        }
        Cookie session = context.request().getCookie(WebSessions.COOKIE);
        if (session != null && !session.getValue().isEmpty()) {
            // An ended session is no session: the caller is anonymous (and may log in again), not refused.
            return identities.authenticate(new CallerRequest(CallerRequest.Kind.SESSION, session.getValue()))
                    .onFailure(AuthenticationFailedException.class).recoverWithNull();
        }
        return Uni.createFrom().optional(Optional.empty());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"ballast\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(CallerRequest.class);
    }
}
