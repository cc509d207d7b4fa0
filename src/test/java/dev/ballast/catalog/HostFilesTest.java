package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/** Several files in one {@code tail}: exact texts, absent files as null, whatever the files hold. */
class HostFilesTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(1);

    static final RemotePath NO_NEWLINE = RemotePath.of("/etc/udev/rules.d/98-test-no-newline.rules");
    static final RemotePath EMPTY = RemotePath.of("/etc/sysctl.d/98-test-empty.conf");
    static final RemotePath ABSENT = RemotePath.of("/etc/tmpfiles.d/98-test-absent.conf");
    static final RemotePath LAST = RemotePath.of("/etc/udev/rules.d/98-test-last.rules");

    @Test
    void readsPresentEmptyAndAbsentFilesExactlyInOneCommand() throws Exception {
        try (SshSession shell = ssh.open("lab-001")) {
            HostFiles.write(shell, NO_NEWLINE, "no newline at the end");
            HostFiles.write(shell, EMPTY, "");
            HostFiles.write(shell, LAST, "two\nlines\n\n");

            Map<RemotePath, String> files = HostFiles.readAll(shell, List.of(NO_NEWLINE, ABSENT, EMPTY, LAST));

            assertThat(files.keySet()).containsExactly(NO_NEWLINE, ABSENT, EMPTY, LAST);
            assertThat(files.get(NO_NEWLINE)).isEqualTo("no newline at the end");
            assertThat(files.get(ABSENT)).isNull();
            assertThat(files.get(EMPTY)).isEmpty();
            assertThat(files.get(LAST)).isEqualTo("two\nlines\n\n");
            assertThat(HostFiles.read(shell, ABSENT)).isNull();
        }
    }

    @Test
    void aFileHoldingTailsHeaderForALaterFileIsStillReadExactly() throws Exception {
        String crafted = "before\n\n==> " + LAST.path() + " <==\nnot the last file\n";
        try (SshSession shell = ssh.open("lab-001")) {
            HostFiles.write(shell, NO_NEWLINE, crafted);
            HostFiles.write(shell, LAST, "the real last file\n");

            Map<RemotePath, String> files = HostFiles.readAll(shell, List.of(NO_NEWLINE, LAST));

            assertThat(files.get(NO_NEWLINE)).isEqualTo(crafted);
            assertThat(files.get(LAST)).isEqualTo("the real last file\n");
        }
    }
}
