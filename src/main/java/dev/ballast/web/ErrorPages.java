package dev.ballast.web;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.ballast.api.Problem;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

/**
 * A page that fails answers a page: the problem the API would answer (status, title, detail, each field at
 * fault), rendered as HTML, since a browser shows problem+json as raw text. Everything under {@code /api/}
 * keeps problem+json: scripts read it. The problem itself still comes from the one error mapper.
 */
class ErrorPages {

    private final Template error;

    ErrorPages(@Location("error.html") Template error) {
        this.error = error;
    }

    @ServerResponseFilter
    public void renderForBrowsers(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && !request.getUriInfo().getRequestUri().getRawPath().startsWith("/api/")) {
            response.setEntity(error.data("problem", problem).render(), null, MediaType.TEXT_HTML_TYPE);
        }
    }
}
