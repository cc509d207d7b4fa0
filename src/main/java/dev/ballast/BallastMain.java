package dev.ballast;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.ballast.postgres.EmbeddedDatabase;
import dev.ballast.postgres.EmbeddedPostgresException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the embedded PostgreSQL first when no database is configured, then Ballast. */
@QuarkusMain
public class BallastMain {

    public static void main(String... args) {
        try {
            EmbeddedDatabase.startUnlessConfigured(ConfigProvider.getConfig());
        } catch (EmbeddedPostgresException e) {
            // A message for the operator, not a stack trace: it says what to change.
            System.err.println("ballast: cannot start the embedded PostgreSQL: " + e.getMessage());
            System.exit(1);
        }
        Quarkus.run(args);
    }
}
