package dev.ballast.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The AES-256 key that encrypts SSH private keys at rest. From {@code ballast.master-key} (base64 of 32
 * bytes, e.g. the BALLAST_MASTER_KEY environment variable) or, when that is unset, from a file that is
 * generated on first start. Several replicas must share one key: set it explicitly for them.
 */
@ApplicationScoped
public class MasterKey {

    private static final Logger LOG = Logger.getLogger(MasterKey.class);
    private static final int KEY_BYTES = 32;

    private final SecretKey key;

    @Inject
    MasterKey(@ConfigProperty(name = "ballast.master-key") Optional<String> configured,
            @ConfigProperty(name = "ballast.master-key-file") Path file) {
        byte[] bytes = configured.map(value -> decode(value, "ballast.master-key")).orElseGet(() -> fromFile(file));
        this.key = new SecretKeySpec(bytes, "AES");
    }

    SecretKey secretKey() {
        return key;
    }

    private static byte[] fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII), "ballast.master-key-file " + file);
            }
            byte[] bytes = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(bytes);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = Files.createFile(file.resolveSibling(file.getFileName() + ".new"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
            Files.move(partial, file);
            LOG.warnf("No ballast.master-key configured: generated one in %s. Back that file up: without it the stored "
                    + "SSH private keys cannot be decrypted. Replicas sharing a database must share one key.", file.toAbsolutePath());
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading or creating the master key file " + file, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException(source + " must hold " + KEY_BYTES + " bytes (base64 of 32 random bytes, "
                    + "e.g. from 'openssl rand -base64 32'); it holds " + bytes.length);
        }
        return bytes;
    }
}
