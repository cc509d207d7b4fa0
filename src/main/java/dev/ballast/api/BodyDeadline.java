package dev.ballast.api;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Closes the connection of a request whose body has not all arrived {@code ballast.api.body-timeout} after
 * its headers. The idle and read timeouts of the HTTP layer restart with every byte, so a client sending one
 * byte every 10 s held its connection, and a request thread, for as long as it liked. No answer is sent: a
 * request thread may be reading the body, and it answers when its read fails (ProblemMapper), where a
 * second answer would fail. Requests without a body are never watched: one that is never read (a GET of
 * live events) does not count as ended while it is answered.
 */
@ApplicationScoped
class BodyDeadline {

    private static final Logger LOG = Logger.getLogger(BodyDeadline.class);

    private final Duration timeout;

    BodyDeadline(@ConfigProperty(name = "ballast.api.body-timeout") Duration timeout) {
        this.timeout = timeout;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::watch);
    }

    private void watch(RoutingContext context) {
        HttpServerRequest request = context.request();
        String length = request.getHeader("Content-Length");
        boolean hasBody = request.headers().contains("Transfer-Encoding") || length != null && !length.equals("0");
        if (hasBody && !request.isEnded()) {
            long timer = context.vertx().setTimer(timeout.toMillis(), expired -> expire(context));
            context.addEndHandler(ended -> context.vertx().cancelTimer(timer));
        }
        context.next();
    }

    private void expire(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            return;
        }
        LOG.warnf("Closed the connection of %s %s from %s: its body had not all arrived after %s (ballast.api.body-timeout)",
                request.method(), request.path(), request.remoteAddress().hostAddress(), timeout);
        request.connection().close();
    }
}
