package dev.ballast.inventory;

import java.time.Instant;
import java.util.Map;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.ballast.problem.NotFoundException;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A row of the inventory. Only {@link Inventory} and {@link HostKeyTrust} write it, from validated values. */
@Entity
@Table(name = "host")
class Host extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    String name;
    String address;
    @Column(name = "ssh_port")
    int sshPort;
    @Column(name = "ssh_user")
    String sshUser;
    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, String> labels;
    @Column(name = "host_key")
    String hostKey;
    String identity;
    boolean maintenance;
    @Column(name = "trust_on_first_use")
    boolean trustOnFirstUse;
    @Column(name = "quarantined_host_key")
    String quarantinedHostKey;
    @Column(name = "quarantined_at")
    Instant quarantinedAt;
    String notes;
    @Version
    long version;
    @Column(name = "created_at", insertable = false, updatable = false)
    Instant createdAt;
    @Column(name = "updated_at")
    Instant updatedAt;

    static Host named(HostName name) {
        Host host = find("name", name.value()).firstResult();
        if (host == null) {
            throw new NotFoundException("no host named '" + name + "'");
        }
        return host;
    }

    HostView view() {
        return new HostView(name, address, sshPort, sshUser, labels, hostKey, trustOnFirstUse,
                quarantinedHostKey == null ? null : new HostView.Quarantine(quarantinedHostKey, quarantinedAt), identity,
                maintenance, notes, createdAt, updatedAt);
    }
}
