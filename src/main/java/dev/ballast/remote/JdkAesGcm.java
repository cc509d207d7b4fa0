package dev.ballast.remote;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import com.hierynomus.sshj.transport.cipher.GcmCipher;

import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * AES-GCM for sshj from the JDK's own provider. sshj asks its security provider (BouncyCastle, which
 * it needs for X25519 and Ed25519) for every cipher, and BouncyCastle's AES and GHASH are plain Java;
 * SunJCE runs both on the CPU's AES-NI and carry-less multiply instructions.
 */
final class JdkAesGcm implements Factory.Named<Cipher> {

    private final String name;
    private final int keyBytes;

    private JdkAesGcm(String name, int keyBits) {
        this.name = name;
        this.keyBytes = keyBits / 8;
    }

    static JdkAesGcm aes128() {
        return new JdkAesGcm("aes128-gcm@openssh.com", 128);
    }

    static JdkAesGcm aes256() {
        return new JdkAesGcm("aes256-gcm@openssh.com", 256);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Cipher create() {
        return new GcmCipher(12, 16, keyBytes, "AES", "AES/GCM/NoPadding") {
            @Override
            public void init(Mode mode, byte[] key, byte[] iv) {
                try {
                    cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
                    initCipher(cipher, mode, Arrays.copyOf(key, keyBytes), Arrays.copyOf(iv, 12));
                } catch (GeneralSecurityException e) {
                    throw new SSHRuntimeException(e);
                }
            }
        };
    }
}
