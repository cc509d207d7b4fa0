package dev.ballast.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.ballast.problem.PayloadTooLargeException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Refuses bodies over {@code ballast.api.max-body-size} with a problem answer: before reading, by the
 * Content-Length a client declares, and while reading, by the bytes it actually sends, since a chunked
 * body declares no length (a chunked 10 MiB import was read whole and answered 200). The HTTP layer's own,
 * larger limit ({@code quarkus.http.limits.max-body-size}) stays as the backstop for bodies no endpoint
 * reads; it answers 413 without a body.
 */
@Provider
public class BodySizeLimit implements ReaderInterceptor {

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

    /**
     * Jackson wraps what a stream throws while it reads a property in a JsonMappingException, which answered
     * a 10 MiB chunked JSON body with 400 "notes: has the wrong type or shape" instead of 413: the failure of
     * the body itself is found among the causes and thrown as it is.
     */
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Counted(context.getInputStream(), maxBytes));
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof PayloadTooLargeException || cause instanceof Unreceived) {
                    throw (RuntimeException) cause;
                }
            }
            throw e;
        }
    }

    /**
     * A body that stopped arriving: the client went away, or {@link BodyDeadline} closed its connection.
     * Nothing failed in Ballast, and nobody is left to read an answer.
     */
    static final class Unreceived extends RuntimeException {
        Unreceived(IOException cause) {
            super("the body stopped arriving: " + cause.getMessage(), cause);
        }
    }

    /**
     * A body that fails its reader once it has given more bytes than allowed, or once it stops arriving. After
     * either, closing it reads nothing more: closing the request's stream reads the body to its end, which
     * failed again on a closed connection (logged as an unexpected failure with a stack trace), or went on
     * reading a body already refused.
     */
    private static final class Counted extends FilterInputStream {
        private final long maxBytes;
        private long read;
        private boolean failed;

        Counted(InputStream body, long maxBytes) {
            super(body);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                failed = true;
                throw new Unreceived(e);
            }
            count(Math.max(n, 0));
            return n;
        }

        @Override
        public void close() {
            if (failed) {
                return;
            }
            try {
                super.close();
            } catch (IOException e) {
                throw new Unreceived(e);
            }
        }

        private void count(int bytes) {
            read += bytes;
            if (read > maxBytes) {
                failed = true;
                throw new PayloadTooLargeException("the body has more than " + maxBytes
                        + " bytes, the most accepted (ballast.api.max-body-size)");
            }
        }
    }
}
