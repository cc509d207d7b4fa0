package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * The in-process lab keeps the committed lab contract: recorded afresh on new hosts, every transcript is
 * what was committed, so the catalog still sends those commands and the simulator still answers them so.
 * The real-sshd lab's stubs replay the same transcripts in {@code RealSshdLabTest}.
 */
class LabContractTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(LabContract.HOSTS.size());

    @Test
    void theSimulatorAnswersTheCommittedTranscripts() throws Exception {
        Map<Integer, List<LabContract.Exchange>> recorded = new TreeMap<>();
        for (int index : LabContract.HOSTS) {
            try (SshSession shell = ssh.open(String.format("lab-%03d", index))) {
                recorded.put(index, LabContract.record(shell, index));
            }
        }
        if (Boolean.getBoolean("lab.contract.record")) {
            LabContract.commit(recorded);
        }
        Map<Integer, List<LabContract.Exchange>> committed = LabContract.committed();
        for (int index : LabContract.HOSTS) {
            assertThat(recorded.get(index)).as("host %d: re-record with -Dlab.contract.record=true if the catalog changed "
                    + "what it sends, and replay the result in RealSshdLabTest", index).containsExactlyElementsOf(committed.get(index));
        }
    }
}
