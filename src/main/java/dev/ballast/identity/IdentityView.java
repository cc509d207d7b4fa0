package dev.ballast.identity;

import java.time.Instant;

/** An SSH identity as the API shows it: the public half only. */
public record IdentityView(String name, String algorithm, String publicKey, String fingerprint, Instant createdAt) {
}
