package dev.ballast.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ballast.Poll;

/** A Ballast server in a process of its own, from the packaged jar, against a given PostgreSQL. */
final class BallastProcess implements AutoCloseable {

    static final String MASTER_KEY = "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=";

    /** The admin token every process is started with (ballast.security.bootstrap-token). */
    static final String ADMIN_TOKEN = "cluster-test-bootstrap-token-0123456789abcdef";

    private final Process process;
    final int port;
    final String instance;
    final Path log;

    BallastProcess(String instance, String jdbcUrl, String user, String password) throws IOException, InterruptedException {
        this(instance, List.of("-Dquarkus.datasource.jdbc.url=" + jdbcUrl, "-Dquarkus.datasource.username=" + user,
                "-Dquarkus.datasource.password=" + password, "-Dballast.lab.enabled=false",
                "-Dballast.workers.lease=4s",
                // Fewer threads than the plan's concurrency: no single process can take every slot.
                "-Dballast.workers.threads=4"));
    }

    /** Ballast as the README's run command starts it: its own PostgreSQL and a demo lab of a few hosts. */
    static BallastProcess embedded(String instance, int labHosts) throws IOException, InterruptedException {
        return new BallastProcess(instance, List.of("-Dballast.lab.hosts=" + labHosts));
    }

    private BallastProcess(String instance, List<String> settings) throws IOException, InterruptedException {
        this.instance = instance;
        this.port = freePort();
        Path dir = Files.createTempDirectory("ballast-" + instance);
        // As root, the embedded PostgreSQL runs as 'postgres', which must be able to enter the data directory.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        log = dir.resolve("ballast.log");
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after 'package' (mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.http.port=" + port,
                "-Dballast.master-key=" + MASTER_KEY,
                "-Dballast.data-dir=" + dir,
                "-Dballast.workers.instance-id=" + instance,
                "-Dballast.security.bootstrap-token=" + ADMIN_TOKEN));
        command.addAll(settings);
        command.addAll(List.of("-jar", jar.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady();
    }

    private void awaitReady() throws IOException {
        try {
            Poll.until("Ballast " + instance + " is ready", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("it exited");
                }
                try {
                    return get("/q/health/ready").statusCode() == 200;
                } catch (IOException starting) {
                    return false; // not listening yet
                }
            }, Boolean::booleanValue);
        } catch (AssertionError notReady) {
            throw new IllegalStateException(notReady.getMessage() + ", its log: " + Files.readString(log), notReady);
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET()
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook, no finishing of hosts in flight. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
