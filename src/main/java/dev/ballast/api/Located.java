package dev.ballast.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The Location of what an answer made or started, as a path on this server. JAX-RS turns the URI given to
 * {@code Response.created} into an absolute one built from the request's Host header, so
 * {@code Host: evil.example} pointed clients at http://evil.example/api/....
 */
public final class Located {

    private Located() {
    }

    /** A 201 answer with the new resource and its path. */
    public static Response created(String path, Object entity) {
        return at(Response.status(Response.Status.CREATED), path).entity(entity).build();
    }

    /** Any answer's builder, pointing at the given path. */
    public static Response.ResponseBuilder at(Response.ResponseBuilder answer, String path) {
        return answer.header(HttpHeaders.LOCATION, path);
    }
}
