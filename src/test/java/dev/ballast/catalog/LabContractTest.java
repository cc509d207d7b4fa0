package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * Both labs keep the committed lab contract. The in-process lab: recorded afresh on new hosts, every
 * transcript is what was committed, so the catalog still sends those commands and the simulator still
 * answers them so. The real-sshd lab's stubs: replayed on hosts kept in plain directories (no root, no
 * namespace, so on any machine with Python), every exchange answers the same bytes; {@code RealSshdLabTest}
 * replays them again inside the real lab, through sshd.
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

    @Test
    void theStubsAnswerTheCommittedTranscriptsOnAStateDirectory(@TempDir Path lab) throws Exception {
        Map<Integer, List<LabContract.Exchange>> committed = LabContract.committed();
        Map<Integer, List<String>> differences = new TreeMap<>();
        for (int index : LabContract.HOSTS) {
            try (StubsOnDirectory host = StubsOnDirectory.init(lab.toRealPath().resolve("hv-" + index), index)) {
                List<String> found = LabContract.replay(host, committed.get(index));
                if (!found.isEmpty()) {
                    differences.put(index, found);
                }
            }
        }
        assertThat(differences).as("answers of the stubs that differ from the in-process lab's").isEmpty();
    }
}
