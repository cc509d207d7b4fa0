package dev.ballast.web;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The headers every answer carries (pages, API, static files, health): the browser runs only Ballast's own
 * script files and style sheets, so script or style that reaches a page by injection does not run; no
 * site may show a Ballast page in a frame (clickjacking); no content type is guessed; and other sites are
 * not told which Ballast page linked to them. Set at the very start of routing, so even the answers
 * written before JAX-RS (a body too slow, a URI too long) have them.
 */
@ApplicationScoped
class SecurityHeaders {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";
    /** Swagger UI is not Ballast's page: it starts itself with inline script and styles its parts inline. */
    static final String SWAGGER_UI_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            MultiMap headers = context.response().headers();
            headers.set("Content-Security-Policy", context.normalizedPath().startsWith("/q/swagger-ui") ? SWAGGER_UI_POLICY : POLICY);
            headers.set("X-Frame-Options", "DENY");
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "same-origin");
            context.next();
        });
    }
}
