package dev.ballast.identity;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A stored SSH identity. The private key is only ever held encrypted here and is never part of a view. */
@Entity
@Table(name = "ssh_identity")
class SshIdentity extends PanacheEntityBase {

    @Id
    String name;
    String algorithm;
    @Column(name = "public_key")
    String publicKey;
    String fingerprint;
    @Column(name = "private_key_encrypted")
    byte[] privateKeyEncrypted;
    @Column(name = "created_at", insertable = false, updatable = false)
    Instant createdAt;

    IdentityView view() {
        return new IdentityView(name, algorithm, publicKey, fingerprint, createdAt);
    }
}
