package dev.ballast.identity;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/** A freshly generated Ed25519 key pair with its OpenSSH public form and SHA256 fingerprint. */
record Ed25519KeyPair(String publicKey, String fingerprint, byte[] privateKeyPkcs8) {

    static final String ALGORITHM = "ssh-ed25519";
    /** The X.509 encoding of an Ed25519 public key is a fixed 12-byte header and the 32-byte key. */
    private static final int X509_HEADER = 12;
    /** SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (33 bytes, 0 unused bits) ... }, RFC 8410. */
    private static final byte[] X509_PREFIX = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };

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

    /** The JDK key pair from the stored forms: the OpenSSH public key and the PKCS#8 private key. */
    static KeyPair open(String openSshPublicKey, byte[] privateKeyPkcs8) {
        try {
            ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(openSshPublicKey.split(" ")[1]));
            blob.position(4 + blob.getInt()); // skip the algorithm name
            byte[] raw = new byte[blob.getInt()];
            blob.get(raw);
            byte[] x509 = new byte[X509_HEADER + raw.length];
            System.arraycopy(X509_PREFIX, 0, x509, 0, X509_HEADER);
            System.arraycopy(raw, 0, x509, X509_HEADER, raw.length);
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(x509)),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(privateKeyPkcs8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored Ed25519 key cannot be read", e);
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
