package dev.ballast.identity;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/** A freshly generated Ed25519 key pair with its OpenSSH public form and SHA256 fingerprint. */
record Ed25519KeyPair(String publicKey, String fingerprint, byte[] privateKeyPkcs8) {

    static final String ALGORITHM = "ssh-ed25519";
    /** The X.509 encoding of an Ed25519 public key is a fixed 12-byte header and the 32-byte key. */
    private static final int X509_HEADER = 12;

    static Ed25519KeyPair generate(String comment) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            byte[] blob = sshBlob(Arrays.copyOfRange(encoded, X509_HEADER, encoded.length));
            String fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
            String publicKey = ALGORITHM + " " + Base64.getEncoder().encodeToString(blob) + " " + comment;
            return new Ed25519KeyPair(publicKey, fingerprint, pair.getPrivate().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable in this JVM", e);
        }
    }

    /** RFC 8709: string "ssh-ed25519", string key. */
    private static byte[] sshBlob(byte[] rawKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, ALGORITHM.getBytes(StandardCharsets.US_ASCII));
        writeString(out, rawKey);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
    }

    @Override
    public String toString() {
        return publicKey; // never the private half
    }
}
