package dev.ballast.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ballast.AdminTokenForTests;
import dev.ballast.ApplicationTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;

/**
 * What a client may send, and how long it may take: every limit answers with a problem, however the body
 * comes (with a length or chunked), and a client that stalls or trickles its body loses the connection.
 * The test configuration shortens the body deadline to 2 s (application.properties).
 */
@ApplicationTest
class HttpLimitsTest {

    static final Path LOG = Path.of("target", "quarkus-test.log");

    @TestHTTPResource("/")
    URL base;

    /** Issue 13: the limit read only Content-Length, so a chunked 10 MiB import was read whole and answered 200. */
    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
        HttpResponse<String> answer = chunkedImport(10L << 20);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonPath(answer.body()).getString("type")).isEqualTo("urn:ballast:problem:payload-too-large");
    }

    /** Issue 13: 70 MB sent chunked logged two ERROR lines with stack traces; a client's excess is worth one WARN. */
    @Test
    void aHugeChunkedBodyIsOneWarningInTheLog() throws Exception {
        long before = Files.size(LOG);
        HttpResponse<String> answer = chunkedImport(70L << 20);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(new JsonPath(answer.body()).getString("type")).isEqualTo("urn:ballast:problem:payload-too-large");
        List<String> logged = logSince(before);
        assertThat(logged).noneMatch(line -> line.contains(" ERROR "));
        assertThat(logged).filteredOn(line -> line.contains(" WARN ") && line.contains("/api/inventory/import")).hasSize(1);
    }

    /** Issue 13: a URI over 4 KB was answered by the HTTP codec, as HTTP/1.0 414 without a body. */
    @Test
    void aUriOver4KbIsRefusedWith414AsAProblem() {
        given().get("/api/hosts?selector=" + "a".repeat(5000)).then().statusCode(414)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ballast:problem:uri-too-long"))
                .body("detail", containsString("4096"));
    }

    /** Issue 13: a client sending one byte every 10 s held its connection for 150 s. */
    @Test
    void aBodyThatTricklesInLosesTheConnectionAtTheDeadline() throws Exception {
        long before = Files.size(LOG);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/inventory/import?dryRun=true HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + AdminTokenForTests.token() + "\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            String answer = trickleUntilClosed(socket, out);
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            assertThat(held).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
            assertThat(answer).as("nothing answered: the request thread reading the body answers nobody").isEmpty();
        }
        Thread.sleep(500); // the request thread's read fails after the close
        List<String> logged = logSince(before);
        assertThat(logged).noneMatch(line -> line.contains(" ERROR "));
        assertThat(logged).filteredOn(line -> line.contains(" WARN ") && line.contains("ballast.api.body-timeout")).hasSize(1);
    }

    /** Sends a byte every 200 ms until the server closes the connection; answers what the server sent. */
    private static String trickleUntilClosed(Socket socket, OutputStream out) throws IOException, InterruptedException {
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        for (int sent = 0; sent < 50; sent++) {
            try {
                out.write('x');
                out.flush();
            } catch (SocketException closed) {
                break;
            }
            Thread.sleep(200);
            if (in.available() > 0 || answer.length() > 0) {
                break;
            }
        }
        byte[] buffer = new byte[4096];
        for (int n; (n = readOrEnd(in, buffer)) > 0;) {
            answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return answer.toString();
    }

    private static int readOrEnd(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (SocketException reset) {
            return -1;
        }
    }

    /** A body of the given size, sent chunked: an InputStream publisher has no length to declare. */
    private HttpResponse<String> chunkedImport(long size) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/inventory/import?dryRun=true"))
                .header("Authorization", "Bearer " + AdminTokenForTests.token())
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Filler.comments(size))).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(LOG);
        return new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8).lines().toList();
    }
}
