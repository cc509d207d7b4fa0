package dev.ballast.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** When the session cookie is Secure; the application test covers the request's scheme behind a proxy. */
class SessionCookiesTest {

    @Test
    void followsTheRequestsSchemeByDefault() {
        SessionCookies cookies = new SessionCookies(false);
        assertThat(cookies.of("bls_x", Duration.ofHours(1), true).isSecure()).isTrue();
        assertThat(cookies.of("bls_x", Duration.ofHours(1), false).isSecure()).isFalse();
    }

    /** For a TLS proxy that does not say https: the browser must still keep the cookie to https. */
    @Test
    void isAlwaysSecureWhenConfiguredSo() {
        assertThat(new SessionCookies(true).of("bls_x", Duration.ofHours(1), false).isSecure()).isTrue();
    }

    @Test
    void isHttpOnlyAndStrict() {
        var cookie = new SessionCookies(false).of("bls_x", Duration.ofHours(12), false);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo(jakarta.ws.rs.core.NewCookie.SameSite.STRICT);
        assertThat(cookie.getMaxAge()).isEqualTo(12 * 3600);
    }
}
