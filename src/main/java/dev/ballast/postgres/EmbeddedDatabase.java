package dev.ballast.postgres;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import dev.ballast.jdbc.ShutdownOrder;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;

/**
 * The embedded default: when no datasource URL is configured, Ballast starts a local PostgreSQL before
 * Quarkus starts and points the datasource at it through system properties. It is stopped when Quarkus
 * stops, inside Quarkus' own shutdown (a JVM stopped by a signal never returns to main), or by a JVM
 * shutdown hook when Quarkus failed to start and so never fires that event.
 */
@ApplicationScoped
public class EmbeddedDatabase {

    static final String URL = "quarkus.datasource.jdbc.url";
    private static final AtomicReference<LocalPostgres> RUNNING = new AtomicReference<>();
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** Whether this process runs its own PostgreSQL: the demo defaults (a lab fleet) key off it. */
    public static boolean isRunning() {
        return RUNNING.get() != null;
    }

    public static void startUnlessConfigured(Config config) {
        if (config.getOptionalValue(URL, String.class).isPresent()) {
            return;
        }
        LocalPostgres postgres = LocalPostgres.start(new LocalPostgres.Options(
                config.getValue("ballast.embedded-postgres.data-dir", Path.class),
                config.getValue("ballast.embedded-postgres.binaries", String.class),
                config.getValue("ballast.embedded-postgres.port", Integer.class),
                true));
        RUNNING.set(postgres);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!STARTED.get()) {
                stop();
            }
        }, "embedded-postgres-stop"));
        System.setProperty(URL, postgres.jdbcUrl());
        System.setProperty("quarkus.datasource.username", postgres.user());
        System.setProperty("quarkus.datasource.password", postgres.password());
    }

    void onStart(@Observes StartupEvent event) {
        STARTED.set(true);
    }

    /** Last of all: every loop and writer that uses the database has stopped before (see ShutdownOrder). */
    void stopOnShutdown(@Observes @Priority(ShutdownOrder.DATABASE) ShutdownEvent event) {
        stop();
    }

    private static void stop() {
        LocalPostgres postgres = RUNNING.getAndSet(null);
        if (postgres != null) {
            postgres.close();
        }
    }
}
