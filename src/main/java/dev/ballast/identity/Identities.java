package dev.ballast.identity;

import java.security.KeyPair;
import java.util.List;

import org.jboss.logging.Logger;

import dev.ballast.audit.AuditLog;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.NotFoundException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/**
 * The key store: generates Ed25519 identities, keeps their private halves encrypted, and makes sure a
 * {@code default} identity exists from the first start on.
 */
@ApplicationScoped
public class Identities {

    private static final Logger LOG = Logger.getLogger(Identities.class);

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final java.util.Map<IdentityName, KeyPair> keyPairs = new java.util.concurrent.ConcurrentHashMap<>();

    Identities(Jdbc jdbc, SecretCipher cipher, AuditLog audit) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.audit = audit;
    }

    /**
     * Creates the default identity when there is none and proves the master key opens the stored keys,
     * so a wrong key stops the start instead of failing every connection later.
     */
    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (SshIdentity.count() == 0) {
            generateIfAbsent(IdentityName.DEFAULT);
        }
        SshIdentity any = SshIdentity.<SshIdentity>findAll().firstResult();
        privateKey(any.privateKeyEncrypted, new IdentityName(any.name));
    }

    public List<IdentityView> list() {
        return SshIdentity.<SshIdentity>listAll(io.quarkus.panache.common.Sort.by("name")).stream()
                .map(SshIdentity::view).toList();
    }

    public IdentityView get(IdentityName name) {
        return find(name).view();
    }

    public boolean exists(IdentityName name) {
        return SshIdentity.findById(name.value()) != null;
    }

    @Transactional
    public IdentityView generate(IdentityName name) {
        if (!generateIfAbsent(name)) {
            throw new ConflictException("an SSH identity named '" + name + "' already exists");
        }
        IdentityView created = get(name);
        audit.record("identity.generate", "identity/" + name, null, created);
        return created;
    }

    /** Inserts with ON CONFLICT, so two Ballast processes starting together create one default identity. */
    private boolean generateIfAbsent(IdentityName name) {
        Ed25519KeyPair pair = Ed25519KeyPair.generate("ballast-" + name);
        byte[] privateKey = cipher.encrypt(pair.privateKeyPkcs8(), name.value());
        int inserted = jdbc.update("insert into ssh_identity (name, algorithm, public_key, fingerprint, private_key_encrypted) "
                + "values (?, ?, ?, ?, ?) on conflict (name) do nothing",
                name.value(), Ed25519KeyPair.ALGORITHM, pair.publicKey(), pair.fingerprint(), privateKey);
        if (inserted == 1) {
            LOG.infof("Generated SSH identity '%s' (%s %s)", name, Ed25519KeyPair.ALGORITHM, pair.fingerprint());
        }
        return inserted == 1;
    }

    /**
     * The identity's key pair for logging in to hosts; never logged or returned by the API. Identities
     * never change once generated, so each is decrypted once per process, not once per host.
     */
    public KeyPair keyPair(IdentityName name) {
        return keyPairs.computeIfAbsent(name, n -> {
            SshIdentity identity = find(n);
            return Ed25519KeyPair.open(identity.publicKey, privateKey(identity.privateKeyEncrypted, n));
        });
    }

    private SshIdentity find(IdentityName name) {
        SshIdentity identity = SshIdentity.findById(name.value());
        if (identity == null) {
            throw new NotFoundException("no SSH identity named '" + name + "'");
        }
        return identity;
    }

    /** A stored private key, whose associated data is the identity's name. */
    private byte[] privateKey(byte[] stored, IdentityName name) {
        return cipher.decrypt(stored, name.value(), "the private key of SSH identity '" + name + "'");
    }
}
