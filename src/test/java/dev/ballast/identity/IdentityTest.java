package dev.ballast.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

@ApplicationTest
class IdentityTest {

    @Inject
    EntityManager em;
    @Inject
    SecretCipher cipher;

    @Test
    void generatesADefaultEd25519IdentityOnFirstStart() {
        given().get("/api/identities/default").then().statusCode(200)
                .body("algorithm", equalTo("ssh-ed25519"))
                .body("publicKey", startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"))
                .body("fingerprint", startsWith("SHA256:"));
    }

    @Test
    void showsPublicKeysOnly() {
        String name = "id-" + UUID.randomUUID().toString().substring(0, 8);
        String body = given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/identities")
                .then().statusCode(201).extract().asString();
        String list = given().get("/api/identities").then().statusCode(200).extract().asString();

        byte[] privateKey = storedPrivateKey(name);
        for (String answer : new String[] { body, list }) {
            assertThat(answer).doesNotContainIgnoringCase("private")
                    .doesNotContain(Base64.getEncoder().encodeToString(privateKey))
                    .doesNotContain(HexFormat.of().formatHex(privateKey));
        }
        given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/identities").then().statusCode(409);
    }

    @Test
    void encryptsPrivateKeysAtRestWithAKeyThatMatchesThePublicHalf() throws GeneralSecurityException {
        byte[] stored = (byte[]) em.createNativeQuery("select private_key_encrypted from ssh_identity where name = 'default'")
                .getSingleResult();
        byte[] plain = storedPrivateKey("default");

        assertThat(indexOf(stored, Arrays.copyOfRange(plain, plain.length - 32, plain.length))).isEqualTo(-1);
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(plain));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(privateKey);
        signer.update("challenge".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKeyOf(given().get("/api/identities/default").then().extract().path("publicKey")));
        verifier.update("challenge".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void refusesToDecryptWithAnotherMasterKeyOrUnderAnotherName() {
        byte[] stored = (byte[]) em.createNativeQuery("select private_key_encrypted from ssh_identity where name = 'default'")
                .getSingleResult();
        SecretCipher otherKey = new SecretCipher(new MasterKey(Optional.of(Base64.getEncoder().encodeToString(new byte[32])),
                Path.of("unused")));

        assertThatThrownBy(() -> otherKey.decrypt(stored, IdentityName.DEFAULT.value(), "the default key")).isInstanceOf(MasterKeyMismatchException.class);
        assertThatThrownBy(() -> cipher.decrypt(stored, "other", "the default key")).isInstanceOf(MasterKeyMismatchException.class);
    }

    @Test
    void neverLogsAPrivateKey() throws IOException {
        String name = "logged-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/identities").then().statusCode(201);
        byte[] privateKey = storedPrivateKey(name);
        byte[] seed = Arrays.copyOfRange(privateKey, privateKey.length - 32, privateKey.length);

        String log = Files.readString(Path.of("target/quarkus-test.log"));
        assertThat(log).contains("Generated SSH identity '" + name + "'");
        for (byte[] secret : new byte[][] { privateKey, seed }) {
            assertThat(log).doesNotContain(Base64.getEncoder().encodeToString(secret))
                    .doesNotContain(HexFormat.of().formatHex(secret));
        }
    }

    private byte[] storedPrivateKey(String name) {
        byte[] stored = (byte[]) em.createNativeQuery("select private_key_encrypted from ssh_identity where name = ?")
                .setParameter(1, name).getSingleResult();
        return cipher.decrypt(stored, name, "the key of " + name);
    }

    /** The OpenSSH blob's last 32 bytes are the raw key; X.509 puts a fixed 12-byte header before them. */
    private static PublicKey publicKeyOf(String openSsh) throws GeneralSecurityException {
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(openSsh.split(" ")[1]));
        blob.position(4 + blob.getInt());
        byte[] raw = new byte[blob.getInt()];
        blob.get(raw);
        byte[] header = HexFormat.of().parseHex("302a300506032b6570032100");
        byte[] x509 = ByteBuffer.allocate(header.length + raw.length).put(header).put(raw).array();
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
