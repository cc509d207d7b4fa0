package dev.ballast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.ballast.postgres.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A throwaway PostgreSQL for the test run, started the same way as the embedded default. An explicitly
 * configured URL (QUARKUS_DATASOURCE_JDBC_URL or -Dquarkus.datasource.jdbc.url) wins.
 * Declared on itself, so it serves every {@code @QuarkusTest} of the run, whichever of them runs.
 */
@QuarkusTestResource(PostgresTestResource.class)
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalPostgres postgres;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null || System.getProperty("quarkus.datasource.jdbc.url") != null) {
            return Map.of();
        }
        try {
            dataDir = Files.createTempDirectory("ballast-test-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres = LocalPostgres.start(new LocalPostgres.Options(dataDir, "auto", 0, false));
        return Map.of("quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
            deleteRecursively(dataDir);
        }
    }

    public static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
