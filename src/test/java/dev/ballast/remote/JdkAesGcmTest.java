package dev.ballast.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.hierynomus.sshj.transport.cipher.GcmCiphers;

import net.schmizz.sshj.transport.cipher.Cipher;

/** The JDK's AES-GCM speaks exactly what sshj's own (BouncyCastle) one does, packet after packet. */
class JdkAesGcmTest {

    @Test
    void packetsSealedByTheJdkOpenWithSshjsOwnCipherAndBack() {
        byte[] key = new byte[32];
        byte[] iv = new byte[12];
        Arrays.fill(key, (byte) 7);
        Arrays.fill(iv, (byte) 3);
        Cipher jdkOut = JdkAesGcm.aes256().create();
        Cipher sshjIn = GcmCiphers.AES256GCM().create();
        jdkOut.init(Cipher.Mode.Encrypt, key, iv);
        sshjIn.init(Cipher.Mode.Decrypt, key, iv);
        Cipher sshjOut = GcmCiphers.AES256GCM().create();
        Cipher jdkIn = JdkAesGcm.aes256().create();
        sshjOut.init(Cipher.Mode.Encrypt, key, iv);
        jdkIn.init(Cipher.Mode.Decrypt, key, iv);

        for (int packet = 0; packet < 3; packet++) {
            assertThat(roundTrip(jdkOut, sshjIn, "packet " + packet)).isEqualTo("packet " + packet);
            assertThat(roundTrip(sshjOut, jdkIn, "reply " + packet)).isEqualTo("reply " + packet);
        }
    }

    /** As sshj frames a packet: 4 bytes of length as associated data, the payload, then room for the 16-byte tag. */
    private static String roundTrip(Cipher out, Cipher in, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] packet = new byte[4 + payload.length + 16];
        packet[3] = (byte) payload.length;
        System.arraycopy(payload, 0, packet, 4, payload.length);
        out.updateWithAAD(packet, 0, 4, payload.length);
        assertThat(Arrays.copyOfRange(packet, 4, 4 + payload.length)).isNotEqualTo(payload);
        in.updateWithAAD(packet, 0, 4, payload.length);
        return new String(packet, 4, payload.length, StandardCharsets.UTF_8);
    }
}
