package dev.ballast.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A credential as it came in: an API token from the Authorization header, or a UI session cookie. */
final class CallerRequest extends BaseAuthenticationRequest {

    enum Kind { TOKEN, SESSION }

    private final Kind kind;
    private final String secret;

    CallerRequest(Kind kind, String secret) {
        this.kind = kind;
        this.secret = secret;
    }

    Kind kind() {
        return kind;
    }

    String secret() {
        return secret;
    }
}
