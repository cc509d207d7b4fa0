package dev.ballast.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Encrypts secrets at rest with the master key (SSH private keys, the passwords a rollback point keeps):
 * AES-256-GCM, a fresh 96-bit nonce per secret, and the owner's identity as associated data (an SSH
 * identity's name, a rollback point's task and position), so a ciphertext moved to another row fails to
 * decrypt. Layout: version byte 1, nonce, ciphertext with tag.
 */
@ApplicationScoped
public class SecretCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecureRandom random = new SecureRandom();
    private final MasterKey masterKey;

    SecretCipher(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    public byte[] encrypt(byte[] plain, String owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, owner);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** {@code what} names the secret for the error when it does not decrypt, as "the private key of SSH identity 'x'". */
    public byte[] decrypt(byte[] stored, String owner, String what) {
        if (stored.length < 1 + NONCE_BYTES || stored[0] != VERSION) {
            throw new MasterKeyMismatchException(what);
        }
        ByteBuffer in = ByteBuffer.wrap(stored, 1, stored.length - 1);
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        try {
            return cipher(Cipher.DECRYPT_MODE, nonce, owner).doFinal(sealed);
        } catch (GeneralSecurityException e) {
            throw new MasterKeyMismatchException(what);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String owner) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, masterKey.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
