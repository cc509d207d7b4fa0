package dev.ballast.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ballast.plan.WavePolicy;
import dev.ballast.plan.WavePolicy.Amount;
import dev.ballast.plan.WavePolicy.Approval;

class WavePlannerTest {

    /** 40 hosts in 4 racks (10 each), with NVMe models A (most), B (host 7) and C (host 33). */
    static List<WavePlanner.Candidate> fleet() {
        List<WavePlanner.Candidate> hosts = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String model = i == 7 ? "B" : i == 33 ? "C" : "A";
            hosts.add(new WavePlanner.Candidate(i, String.format("hv%02d", i),
                    Map.of("rack", "r" + ((i - 1) / 10 + 1), "nvme_model", model)));
        }
        return hosts;
    }

    static WavePolicy policy(int canary, List<String> cover, List<String> sizes, String spread, boolean perValue) {
        return new WavePolicy(canary, cover, sizes.stream().map(Amount::parse).toList(), spread, 0, perValue,
                Amount.parse("0"), Amount.parse("0"), false, Approval.NONE, 0, null, List.of());
    }

    static List<Integer> sizes(List<List<WavePlanner.Candidate>> waves) {
        return waves.stream().map(List::size).toList();
    }

    @Test
    void wavesBringTheRolloutToEachCumulativeSize() {
        List<List<WavePlanner.Candidate>> waves = WavePlanner.plan(fleet(), policy(1, List.of(), List.of("10%", "50%", "100%"), null, false));
        assertThat(sizes(waves)).containsExactly(1, 3, 16, 20);
        assertThat(waves.stream().flatMap(List::stream).map(WavePlanner.Candidate::id).distinct()).hasSize(40);
    }

    @Test
    void theCanaryCoversEveryValueOfTheChosenLabels() {
        List<List<WavePlanner.Candidate>> waves = WavePlanner.plan(fleet(), policy(1, List.of("nvme_model"), List.of("100%"), null, false));
        assertThat(waves.get(0)).extracting(WavePlanner.Candidate::name).containsExactly("hv01", "hv07", "hv33");
    }

    @Test
    void spreadDealsEachWaveAcrossRacks() {
        List<List<WavePlanner.Candidate>> waves = WavePlanner.plan(fleet(), policy(1, List.of(), List.of("10%", "100%"), "rack", false));
        assertThat(waves.get(1)).extracting(c -> c.labels().get("rack")).containsExactly("r1", "r2", "r3");
    }

    @Test
    void oneRackPerWave() {
        List<List<WavePlanner.Candidate>> waves = WavePlanner.plan(fleet(), policy(1, List.of(), List.of("100%"), "rack", true));
        assertThat(sizes(waves)).containsExactly(1, 9, 10, 10, 10);
        assertThat(waves.get(2)).allSatisfy(c -> assertThat(c.labels().get("rack")).isEqualTo("r2"));
    }

    @Test
    void aCountLargerThanTheFleetTakesEveryHostOnce() {
        List<List<WavePlanner.Candidate>> waves = WavePlanner.plan(fleet().subList(0, 3), policy(5, List.of(), List.of("100%"), null, false));
        assertThat(sizes(waves)).containsExactly(3);
    }
}
