package dev.ballast.api;

import java.util.Optional;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a URI over {@value #MAX_LENGTH} characters with a problem answer. The HTTP codec refuses request
 * lines over {@code quarkus.http.limits.max-initial-line-length} itself, as {@code HTTP/1.0 414} without a
 * body; that limit is set to 16 KB, so this check answers for the URIs between.
 */
public class UriLengthLimit {

    static final int MAX_LENGTH = 4096;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseLongUri(HttpServerRequest request) {
        int length = request.uri().length();
        if (length <= MAX_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(ProblemMapper.answer(Problem.of(414, "uri-too-long", "URI too long",
                "the URI has " + length + " characters; at most " + MAX_LENGTH + " are accepted")));
    }
}
