package dev.ballast.api;

import static dev.ballast.api.HostileCases.Expect.any;
import static dev.ballast.api.HostileCases.Expect.problem;
import static dev.ballast.api.HostileCases.Expect.problemOrClosed;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import dev.ballast.api.HostileCases.Expect;

/**
 * The chunked and slow bodies of the hostile-input run, all sent at once so the category costs about one
 * body deadline (2 s in the test configuration): chunked bodies of every size around the limit through
 * java.net.http, and bodies that trickle in, stall or stop half-way over raw sockets. Each answer must be a
 * problem, or the connection closed; never a 5xx.
 */
final class SlowAndChunkedBodies {

    static final String CATEGORY = "chunked and slow";

    private final URL base;
    private final String admin;
    private final long max;
    private final HostileCases cases;
    private final HttpClient client;
    private final List<CompletableFuture<Void>> running = new ArrayList<>();
    private final ExecutorService sockets = Executors.newFixedThreadPool(16);

    SlowAndChunkedBodies(URL base, String admin, long max, HostileCases cases) {
        this.base = base;
        this.admin = admin;
        this.max = max;
        this.cases = cases;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends every case, waits for all of them, and answers how long that took. */
    Duration run() {
        long start = System.nanoTime();
        chunked();
        slow();
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        sockets.shutdown();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void chunked() {
        String json = "{\"name\":\"big\",\"address\":\"10.0.0.1\",\"notes\":\"";
        for (long size : new long[] {0, 1, 1024, max, max + 1, 10L << 20}) {
            Expect due = size > max ? problemOrClosed(413) : problemOrClosed(400);
            Expect inventory = size > max ? due : size == 0 ? problem("body", 400) : any(200); // comments only: an empty inventory
            chunked("comments of " + size + " bytes as an inventory", "/api/inventory/import?dryRun=true", "text/plain", () -> Filler.comments(size),
                    inventory);
            chunked("comments of " + size + " bytes as a plan", "/api/plans?dryRun=true", "application/yaml", () -> Filler.comments(size), due);
            chunked("a JSON string of " + size + " bytes as a host", "/api/hosts", "application/json",
                    () -> new Filler(json, 'n', false, size), size > max ? due : problemOrClosed(400));
        }
        for (String path : List.of("/api/users", "/api/sweeps", "/api/rollouts?dryRun=true", "/api/hosts/lab-001/probe")) {
            chunked("a JSON string just over the limit to " + path, path, "application/json", () -> new Filler("{\"name\":\"", 'n', false, max + 1),
                    problemOrClosed(413));
            chunked("a JSON array of 1 MiB to " + path, path, "application/json", () -> new Filler("[", '[', false, 1L << 20), problemOrClosed(400));
        }
        chunked("an octet stream of 10 MiB to the hosts API", "/api/hosts", "application/octet-stream", () -> Filler.comments(10L << 20),
                problemOrClosed(415));
        chunked("XML of 1 MiB to the plans API", "/api/plans?dryRun=true", "application/xml", () -> new Filler("<plan>", 'x', false, 1L << 20),
                problemOrClosed(415));
        chunked("an octet stream of 10 MiB as an inventory", "/api/inventory/import?dryRun=true", "application/octet-stream",
                () -> Filler.comments(10L << 20), problemOrClosed(413));
    }

    private void chunked(String what, String path, String contentType, Supplier<InputStream> body, Expect due) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path.substring(1))).timeout(Duration.ofSeconds(30))
                .header("Authorization", admin).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build();
        running.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((answer, failure) -> {
            if (answer == null) {
                cases.record(CATEGORY, "chunked: " + what, HostileCases.CLOSED, null, String.valueOf(failure), due);
            } else {
                cases.record(CATEGORY, "chunked: " + what, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(null),
                        answer.body(), due);
            }
            return null;
        }));
    }

    private void slow() {
        Duration tick = Duration.ofMillis(300);
        String host = "{\"name\":\"slow\",\"address\":\"10.0.0.1\"}";
        for (String path : List.of("/api/inventory/import?dryRun=true", "/api/plans?dryRun=true", "/api/hosts", "/api/users", "/api/sweeps",
                "/api/tokens", "/api/rollouts?dryRun=true", "/api/hosts/lab-001/probe")) {
            String type = path.startsWith("/api/inventory") ? "text/plain" : "application/json";
            slow("a byte every 300 ms to " + path, post(path, type, admin, "Content-Length: 1000"), RawHttp.Body.trickle("", "x", tick));
        }
        slow("headers, then no body", post("/api/inventory/import?dryRun=true", "text/plain", admin, "Content-Length: 100"), RawHttp.Body.stall(""));
        slow("half a host, then nothing", post("/api/hosts", "application/json", admin, "Content-Length: " + host.length()),
                RawHttp.Body.stall(host.substring(0, host.length() / 2)));
        slow("a chunk every 300 ms", post("/api/inventory/import?dryRun=true", "text/plain", admin, "Transfer-Encoding: chunked"),
                RawHttp.Body.trickle("", "1\r\n#\r\n", tick));
        slow("one chunk, then nothing", post("/api/plans?dryRun=true", "application/yaml", admin, "Transfer-Encoding: chunked"),
                RawHttp.Body.stall("5\r\nname:\r\n"));
        slow("a chunk size that is not a number", post("/api/plans?dryRun=true", "application/yaml", admin, "Transfer-Encoding: chunked"),
                RawHttp.Body.whole("zz\r\nname:\r\n0\r\n\r\n"));
        slow("a chunk longer than it says", post("/api/hosts", "application/json", admin, "Transfer-Encoding: chunked"),
                RawHttp.Body.whole("2\r\n" + host + "\r\n0\r\n\r\n"));
        slow("a body shorter than its length, then nothing", post("/api/hosts", "application/json", admin, "Content-Length: 5000"),
                RawHttp.Body.stall(host));
        // Framing the HTTP codec cannot parse, and lengths over quarkus.http.limits.max-body-size: the codec answers, without a body.
        framing("a length that is not a number", "Content-Length: lots", host, 400);
        framing("a length of 20 digits", "Content-Length: 99999999999999999999", host, 400);
        framing("two different lengths", "Content-Length: 3\r\nContent-Length: " + host.length(), host, 400);
        framing("a length and chunked at once", "Content-Length: 4\r\nTransfer-Encoding: chunked", "0\r\n\r\n", 400);
        framing("a length of 15 digits", "Content-Length: 999999999999999", host, 413);
        slow("a length over max-body-size", post("/api/hosts", "application/json", admin, "Content-Length: " + (max + 1)), RawHttp.Body.whole(host));
        slow("a trickle without credentials", post("/api/inventory/import?dryRun=true", "text/plain", null, "Content-Length: 1000"),
                RawHttp.Body.trickle("", "x", tick));
    }

    private static String post(String path, String contentType, String authorization, String framing) {
        return "POST " + path + " HTTP/1.1\r\nContent-Type: " + contentType + (authorization == null ? "" : "\r\nAuthorization: " + authorization)
                + "\r\n" + framing;
    }

    private void slow(String what, String head, RawHttp.Body body) {
        exchange(what, head, body, problemOrClosed(400, 401, 413));
    }

    private void framing(String what, String framing, String body, int status) {
        exchange(what, post("/api/hosts", "application/json", admin, framing), RawHttp.Body.whole(body), any(status));
    }

    private void exchange(String what, String head, RawHttp.Body body, Expect due) {
        running.add(CompletableFuture.runAsync(() -> {
            RawHttp.Answer answer;
            try {
                answer = RawHttp.exchange(base, head, body, Duration.ofSeconds(8));
            } catch (IOException | InterruptedException e) {
                answer = new RawHttp.Answer(HostileCases.CLOSED, null, e.toString());
            }
            cases.record(CATEGORY, "socket: " + what, answer.status(), answer.contentType(), answer.body(), due);
        }, sockets));
    }
}
