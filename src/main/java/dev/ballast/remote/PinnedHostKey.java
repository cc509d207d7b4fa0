package dev.ballast.remote;

import dev.ballast.input.Check;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import dev.ballast.problem.InvalidInputException;

/**
 * The SSH host key a host must present, in OpenSSH public-key form ({@code ssh-ed25519 AAAA...}).
 * Kept without its comment; the blob must carry the same algorithm name as its prefix.
 */
public record PinnedHostKey(String algorithm, String base64) {

    private static final Set<String> ALGORITHMS = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");

    public PinnedHostKey {
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException(Check.quoted(String.valueOf(algorithm)) + " is not a host key algorithm (one of "
                    + String.join(", ", new java.util.TreeSet<>(ALGORITHMS)) + ")");
        }
        if (!base64.matches("[A-Za-z0-9+/]{16,2048}={0,2}") || !algorithm.equals(embeddedAlgorithm(base64))) {
            throw new IllegalArgumentException("the key data is not a " + algorithm + " public key in base64");
        }
    }

    /** Parses {@code "algorithm base64 [comment]"}, as in known_hosts or a .pub file. */
    public static PinnedHostKey parse(String field, String raw) {
        return InvalidInputException.forField(field, () -> {
            String[] parts = raw == null ? new String[0] : raw.strip().split("\\s+", 3);
            if (parts.length < 2) {
                throw new IllegalArgumentException("is not an OpenSSH public key ('ssh-ed25519 AAAA...')");
            }
            return new PinnedHostKey(parts[0], parts[1]);
        });
    }

    private static String embeddedAlgorithm(String base64) {
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
            int length = blob.getInt();
            if (length < 1 || length > 64 || length > blob.remaining()) {
                return null;
            }
            byte[] name = new byte[length];
            blob.get(name);
            return new String(name, StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return null;
        }
    }

    /** The key's fingerprint as {@code ssh-keygen -lf} prints it: {@code SHA256:} and the unpadded base64 of the blob's digest. */
    public String fingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return algorithm + " " + base64;
    }
}
