package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * A domain's rollback defines the captured XML again, which does harm when the host changed since
 * Ballast applied: a domain migrated away would be defined here too (one guest, two hosts, shared
 * storage), and an edit someone made since would be silently undone. Both refuse, showing why, before
 * any domain is touched; an operator may force the rollback past them.
 */
class DomainRollbackGuardTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(4);

    private static final TuningStep.Configured<?> DISK_CACHE = StepOnLab.configure(new DiskCacheStep(), Map.of("domain", "all"));

    @Test
    void aDomainMigratedAwaySinceTheApplyIsNotDefinedAgainUnlessForced() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String gone = libvirt.uuidOf("vm-1-2");
        String stays = libvirt.uuidOf("vm-1-1");
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = DISK_CACHE.probe(shell);
            DISK_CACHE.apply(shell, before);
            StepState applied = DISK_CACHE.verify(shell).observed();
            String appliedXml = libvirt.inactiveXml(stays);
            libvirt.migrateAway(gone);

            assertThatThrownBy(() -> DISK_CACHE.rollback(shell, new RestorePoint(before, applied, false)))
                    .isInstanceOf(StepRefusal.class).hasMessageContaining("vm-1-2 (" + gone + ") is no longer defined on this host")
                    .hasMessageContaining("force").extracting(e -> ((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE);
            assertThat(libvirt.uuids()).as("nothing defined again").doesNotContain(gone);
            assertThat(libvirt.inactiveXml(stays)).as("no domain touched before the refusal").isEqualTo(appliedXml);

            DISK_CACHE.rollback(shell, new RestorePoint(before, applied, true));
            assertThat(DISK_CACHE.probe(shell)).as("forced: every domain back as captured").isEqualTo(before);
        }
    }

    /** Undefined while it ran, the domain is transient: defining the captured XML would make it persistent again. */
    @Test
    void aDomainUndefinedWhileItRanIsNotMadePersistentAgain() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        String undefined = libvirt.uuidOf("vm-3-1");
        TuningStep.Configured<?> cache = StepOnLab.configure(new DiskCacheStep(), Map.of("domain", "vm-3-1"));
        try (SshSession shell = ssh.open("lab-003")) {
            StepState before = cache.probe(shell);
            cache.apply(shell, before);
            StepState applied = cache.verify(shell).observed();
            libvirt.undefineWhileRunning(undefined);

            assertThatThrownBy(() -> cache.rollback(shell, new RestorePoint(before, applied, false)))
                    .isInstanceOf(StepRefusal.class).hasMessageContaining("vm-3-1 (" + undefined + ") is transient now")
                    .extracting(e -> ((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE);
            assertThat(libvirt.persistent(undefined)).as("still transient").isFalse();
        }
    }

    @Test
    void anEditMadeSinceTheApplyIsShownAndNotUndoneUnlessForced() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-002").state().libvirt();
        String edited = libvirt.uuidOf("vm-2-2");
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = DISK_CACHE.probe(shell);
            DISK_CACHE.apply(shell, before);
            StepState applied = DISK_CACHE.verify(shell).observed();
            libvirt.editByHand(edited, xml -> xml.replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>3</vcpu>"));
            String byHand = libvirt.inactiveXml(edited);
            assertThat(byHand).contains("<vcpu placement='static'>3</vcpu>");

            assertThatThrownBy(() -> DISK_CACHE.rollback(shell, new RestorePoint(before, applied, false)))
                    .isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("the persistent XML of domain vm-2-2 (" + edited + ") changed since Ballast applied")
                    .hasMessageContaining("- <vcpu placement=\"static\">1</vcpu>")
                    .hasMessageContaining("+ <vcpu placement=\"static\">3</vcpu>")
                    .hasMessageNotContaining("cache=");
            assertThat(libvirt.inactiveXml(edited)).isEqualTo(byHand);

            DISK_CACHE.rollback(shell, new RestorePoint(before, applied, true));
            assertThat(DISK_CACHE.probe(shell)).isEqualTo(before);
        }
    }

    @Test
    void aRollbackWithNothingChangedSinceTheApplyRestoresAsBefore() throws Exception {
        try (SshSession shell = ssh.open("lab-004")) {
            StepState before = DISK_CACHE.probe(shell);
            DISK_CACHE.apply(shell, before);
            StepState applied = DISK_CACHE.verify(shell).observed();
            DISK_CACHE.rollback(shell, new RestorePoint(before, applied, false));
            assertThat(DISK_CACHE.probe(shell)).isEqualTo(before);
        }
    }
}
