package dev.ballast.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.ballast.problem.ConflictException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ballast's first credentials. A deployment passes an admin API token in
 * {@code ballast.security.bootstrap-token} (from a Secret or the environment) for scripts. With no user
 * at all, an {@code admin} user is made for the UI with a random password written to a file only its owner can read; the log
 * names the file, never the password.
 */
@ApplicationScoped
class SecurityBootstrap {

    private static final Logger LOG = Logger.getLogger(SecurityBootstrap.class);

    private final ApiTokens tokens;
    private final Users users;
    private final Optional<String> bootstrapToken;
    private final Path passwordFile;

    SecurityBootstrap(ApiTokens tokens, Users users,
            @ConfigProperty(name = "ballast.security.bootstrap-token") Optional<String> bootstrapToken,
            @ConfigProperty(name = "ballast.security.initial-password-file") Path passwordFile) {
        this.tokens = tokens;
        this.users = users;
        this.bootstrapToken = bootstrapToken;
        this.passwordFile = passwordFile;
    }

    void onStart(@Observes StartupEvent start) throws IOException {
        bootstrapToken.ifPresent(tokens::ensureBootstrap);
        if (!users.any()) {
            String password = Secrets.generate("").substring(0, 24);
            try {
                users.create("admin", Role.ADMIN, password);
            } catch (ConflictException anotherReplicaWasFirst) {
                return;
            }
            Files.createDirectories(passwordFile.toAbsolutePath().getParent());
            Files.deleteIfExists(passwordFile);
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            LOG.infof("Created the user 'admin'; its password is in %s (readable by this user only). "
                    + "Log in, make your own users, then delete the file.", passwordFile.toAbsolutePath());
        }
    }
}
