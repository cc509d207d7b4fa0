package dev.ballast.api;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Refuses bodies over {@code ballast.api.max-body-size} before they are read, with a problem answer.
 * The HTTP layer's own, larger limit ({@code quarkus.http.limits.max-body-size}) only catches bodies
 * sent without a length.
 */
public class BodySizeLimit {

    private final long maxBytes;

    BodySizeLimit(@ConfigProperty(name = "ballast.api.max-body-size") MemorySize max) {
        this.maxBytes = max.asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseOversizedBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !length.matches("\\d{1,18}") || Long.parseLong(length) <= maxBytes) {
            return Optional.empty();
        }
        return Optional.of(ProblemMapper.answer(Problem.of(413, "payload-too-large", "Payload too large",
                "the body has " + length + " bytes; at most " + maxBytes + " are accepted (ballast.api.max-body-size)")));
    }
}
