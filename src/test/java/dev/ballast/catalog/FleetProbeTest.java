package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.LabHost;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/** A fleet-sized probe: 200 lab hosts, each over its own connection, all at once. */
class FleetProbeTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(200);

    @Test
    void probesTwoHundredHostsInParallel() throws Exception {
        TuningStep.Configured<?> scheduler = new IoSchedulerStep().configure("step", Map.of("device", "nvme0n1"));
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<StepState>> probes = ssh.fleet().hosts().stream().map((LabHost host) -> pool.submit(() -> {
                try (SshSession session = ssh.open(host)) {
                    return scheduler.probe(session);
                }
            })).toList();
            int drifted = 0;
            for (int i = 0; i < probes.size(); i++) {
                StepState state = probes.get(i).get();
                assertThat(state.get("wwid")).isEqualTo(String.format("eui.0025385b%08x", i + 1));
                drifted += scheduler.drift(state).stream().anyMatch(d -> d.fact().equals("scheduler")) ? 1 : 0;
            }
            assertThat(drifted).as("every fifth lab host already runs none").isEqualTo(160);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ssh.fleet().connections()).isEqualTo(200);
        assertThat(ssh.fleet().surprises()).isEmpty();
    }
}
