package dev.ballast.postgres;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The embedded default: when no datasource URL is configured, Ballast starts a local PostgreSQL before
 * Quarkus starts and points the datasource at it through system properties. It is stopped when Quarkus
 * stops, inside Quarkus' own shutdown, because a JVM stopped by a signal never returns to main.
 */
@ApplicationScoped
public class EmbeddedDatabase {

    static final String URL = "quarkus.datasource.jdbc.url";
    private static final AtomicReference<LocalPostgres> RUNNING = new AtomicReference<>();

    public static void startUnlessConfigured(Config config) {
        if (config.getOptionalValue(URL, String.class).isPresent()) {
            return;
        }
        Path dataDir = config.getOptionalValue("ballast.embedded-postgres.data-dir", Path.class)
                .orElseGet(() -> config.getOptionalValue("ballast.data-dir", Path.class).orElse(Path.of("ballast-data"))
                        .resolve("postgres"));
        LocalPostgres postgres = LocalPostgres.start(new LocalPostgres.Options(dataDir,
                config.getOptionalValue("ballast.embedded-postgres.binaries", String.class).orElse(PostgresBinaries.AUTO),
                config.getOptionalValue("ballast.embedded-postgres.port", Integer.class).orElse(0),
                true));
        RUNNING.set(postgres);
        System.setProperty(URL, postgres.jdbcUrl());
        System.setProperty("quarkus.datasource.username", postgres.user());
        System.setProperty("quarkus.datasource.password", postgres.password());
    }

    void stopOnShutdown(@Observes ShutdownEvent event) {
        LocalPostgres postgres = RUNNING.getAndSet(null);
        if (postgres != null) {
            postgres.close();
        }
    }
}
