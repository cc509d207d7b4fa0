package dev.ballast.security;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

/**
 * The UI's session cookie: HttpOnly, SameSite=Strict, and Secure when the browser reached Ballast over https,
 * directly or through a proxy Ballast trusts to say so ({@code quarkus.http.proxy.*}: X-Forwarded-Proto or
 * Forwarded). {@code ballast.security.secure-cookies=true} makes it Secure always, for a TLS proxy that does
 * not say so: a Secure cookie over plain http is never sent back, so that setting must not be on without TLS.
 */
@ApplicationScoped
class SessionCookies {

    private final boolean alwaysSecure;

    SessionCookies(@ConfigProperty(name = "ballast.security.secure-cookies", defaultValue = "false") boolean alwaysSecure) {
        this.alwaysSecure = alwaysSecure;
    }

    NewCookie of(String value, Duration maxAge, boolean overHttps) {
        return new NewCookie.Builder(WebSessions.COOKIE).value(value).path("/").maxAge((int) maxAge.toSeconds()).httpOnly(true)
                .secure(alwaysSecure || overHttps).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
