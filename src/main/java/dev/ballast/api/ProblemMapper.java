package dev.ballast.api;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.ballast.catalog.StepRefusal;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.FieldError;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import dev.ballast.problem.PayloadTooLargeException;
import dev.ballast.problem.RetryLaterException;
import dev.ballast.remote.RemoteFailure;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * The one place where failures become HTTP answers. Every answer is {@code application/problem+json};
 * only a failure nobody foresaw becomes a 500, and that one is logged with an id the answer repeats.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return answer(Problem.of(400, "invalid-input", "Invalid input", e.getMessage()).withErrors(e.errors()));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return answer(Problem.of(404, "not-found", "Not found", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return answer(Problem.of(409, "conflict", "Conflict", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response concurrentChange(OptimisticLockException e) {
        return answer(Problem.of(409, "conflict", "Conflict", "changed by another request meanwhile; read it again and retry"));
    }

    /**
     * One line for the operator, no stack: the client sent too much, nothing failed. The connection is closed
     * after the answer, so the rest of the body is never read.
     */
    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e, HttpServerRequest request) {
        LOG.warnf("Refused %s %s from %s: %s", request.method(), request.path(), request.remoteAddress().hostAddress(), e.getMessage());
        return Response.fromResponse(answer(Problem.of(413, "payload-too-large", "Payload too large", e.getMessage())))
                .header("Connection", "close").build();
    }

    /** Answered for the record only: the connection is gone. Not logged above DEBUG, as it is the client's doing. */
    @ServerExceptionMapper
    public Response unreceived(BodySizeLimit.Unreceived e) {
        LOG.debug(e.getMessage());
        return answer(Problem.of(400, "body-unreceived", "Body not received", e.getMessage()));
    }

    /** Refused for now: a login locked out after failures (429), or too many logins being checked at once (503). */
    @ServerExceptionMapper
    public Response retryLater(RetryLaterException e) {
        Problem problem = e.status() == 429 ? Problem.of(429, "too-many-requests", "Too many requests", e.getMessage())
                : Problem.of(503, "busy", "Busy", e.getMessage());
        return Response.fromResponse(answer(problem)).header("Retry-After", e.retryAfterSeconds()).build();
    }

    /**
     * A host could not be worked on. 502 when the host or the network failed, 504 on a timeout, 409 when
     * host-key trust forbids connecting (an admin decision is needed, not a retry).
     */
    @ServerExceptionMapper
    public Response remote(RemoteFailure e) {
        int status = switch (e.kind()) {
            case TIMEOUT -> 504;
            case HOST_KEY_MISMATCH, HOST_KEY_UNKNOWN -> 409;
            default -> 502;
        };
        String slug = "remote-" + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return answer(Problem.of(status, slug, "Remote failure: " + e.kind(), e.getMessage()));
    }

    /** A step declined to act on the host, for the reason it gives. */
    @ServerExceptionMapper
    public Response refused(StepRefusal e) {
        String slug = "step-" + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return answer(Problem.of(409, slug, "Step refused: " + e.kind(), e.getMessage()));
    }

    /** No credentials, or an unknown, revoked or expired one. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class})
    public Response unauthenticated(RuntimeException e) {
        String detail = e instanceof AuthenticationFailedException && e.getMessage() != null ? e.getMessage()
                : "log in, or send an API token as 'Authorization: Bearer TOKEN'";
        return Response.fromResponse(answer(Problem.of(401, "unauthenticated", "Unauthenticated", detail)))
                .header("WWW-Authenticate", "Bearer realm=\"ballast\"").build();
    }

    /** Authenticated, but the caller's role does not allow this (or a UI change came without its CSRF token). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        String detail = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                : "the caller's role does not allow this: viewers read, operators run rollouts, sweeps and rollbacks, "
                        + "admins manage inventory, keys, users and tokens";
        return answer(Problem.of(403, "forbidden", "Forbidden", detail));
    }

    /** Replaces Quarkus' own mapper for this type, whose answer is not a problem. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    /** Syntax errors in a JSON body, and well-formed JSON of the wrong shape. */
    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping) {
            return wrongShape(mapping);
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return answer(Problem.of(400, "invalid-input", "Invalid input", "the body is not valid JSON" + where)
                .withErrors(List.of(new FieldError("body", e.getOriginalMessage()))));
    }

    /** Well-formed JSON of the wrong shape: names the property path, e.g. {@code labels.rack}. */
    private Response wrongShape(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (field.isEmpty()) {
            field = "body";
        }
        String message;
        if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown property '" + unknown.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException format) {
            message = "'" + format.getValue() + "' is not a valid " + format.getTargetType().getSimpleName();
        } else {
            message = "has the wrong type or shape";
        }
        FieldError error = new FieldError(field, message);
        return answer(Problem.of(400, "invalid-input", "Invalid input", error.toString()).withErrors(List.of(error)));
    }

    /** JAX-RS' own answers (unknown path, wrong method, unsupported media type) keep their status. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json); // the JSON reader wraps syntax errors in a plain 400
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return answer(Problem.of(status, title.toLowerCase().replace(' ', '-'), title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure %s", id);
        return answer(Problem.of(500, "internal", "Internal error",
                "an unexpected failure, logged as " + id + "; nothing in the request was at fault"));
    }

    static Response answer(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
