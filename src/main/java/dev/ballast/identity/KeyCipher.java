package dev.ballast.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Encrypts private keys with the master key: AES-256-GCM, a fresh 96-bit nonce per key, and the
 * identity's name as associated data, so a ciphertext moved to another identity's row fails to decrypt.
 * Layout: version byte 1, nonce, ciphertext with tag.
 */
@ApplicationScoped
class KeyCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecureRandom random = new SecureRandom();
    private final MasterKey masterKey;

    KeyCipher(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    byte[] encrypt(byte[] plain, IdentityName name) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, name);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    byte[] decrypt(byte[] stored, IdentityName name) {
        if (stored.length < 1 + NONCE_BYTES || stored[0] != VERSION) {
            throw new MasterKeyMismatchException(name);
        }
        ByteBuffer in = ByteBuffer.wrap(stored, 1, stored.length - 1);
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        try {
            return cipher(Cipher.DECRYPT_MODE, nonce, name).doFinal(sealed);
        } catch (GeneralSecurityException e) {
            throw new MasterKeyMismatchException(name);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, IdentityName name) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, masterKey.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(name.value().getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
