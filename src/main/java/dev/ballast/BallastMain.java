package dev.ballast;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.ballast.postgres.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the embedded PostgreSQL first when no database is configured, then Ballast. */
@QuarkusMain
public class BallastMain {

    public static void main(String... args) {
        EmbeddedDatabase.startUnlessConfigured(ConfigProvider.getConfig());
        Quarkus.run(args);
    }
}
