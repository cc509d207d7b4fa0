package dev.ballast.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.ballast.InjectionCorpus;
import dev.ballast.catalog.BlockDevice;
import dev.ballast.catalog.Count;
import dev.ballast.catalog.DomainRef;
import dev.ballast.catalog.LogicalVolume;
import dev.ballast.catalog.NvmeController;
import dev.ballast.catalog.RemotePath;
import dev.ballast.catalog.Size;
import dev.ballast.catalog.VolumeGroup;

/**
 * The quoting function and the value types against a real POSIX shell: whatever a value type accepts
 * reaches the program unchanged, and the injection corpus is refused before it can reach any command.
 */
class CommandQuotingTest {

    static final List<String> INJECTIONS = InjectionCorpus.VALUES;

    static final List<Function<String, Object>> VALUE_TYPES = List.of(BlockDevice::new, NvmeController::new,
            RemotePath::of, VolumeGroup::new, LogicalVolume::new, Size::new, text -> Count.parse(text, 0, 1_000_000),
            DomainRef::new, DomainRef.Uuid::new);

    @Test
    void everyValueTypeRefusesTheInjectionCorpus() {
        for (Function<String, Object> type : VALUE_TYPES) {
            for (String attack : INJECTIONS) {
                if (attack.equals("-rf") || attack.equals("--help")) {
                    continue; // checked below with the types that could otherwise take a leading dash
                }
                assertThatThrownBy(() -> type.apply(attack)).as("%s", attack.replace("\0", "\\0"))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        for (String dash : List.of("-rf", "--help", "-x")) {
            for (Function<String, Object> type : VALUE_TYPES) {
                assertThatThrownBy(() -> type.apply(dash)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void arbitraryTextSurvivesARealShellUnchanged() throws Exception {
        Random random = new Random(20261125);
        List<String> samples = new ArrayList<>(INJECTIONS.stream().filter(s -> s.indexOf('\0') < 0).toList());
        String alphabet = "abcXYZ019 \t\n'\"\\$`;|&<>(){}[]*?!#~=%^,.:/@+-";
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            samples.add(text.toString());
        }
        // One shell run for all samples: printf prints each argument followed by a NUL.
        Command command = Command.of("printf", "%s\\0");
        for (String sample : samples) {
            command = command.literal(sample);
        }
        List<String> received = splitOnNul(sh(command.render()));
        assertThat(received).containsExactlyElementsOf(samples);
    }

    @Test
    void acceptedValuesReachTheProgramAsOneArgument() throws Exception {
        List<RemoteArg> values = List.of(new BlockDevice("nvme12n3"), new NvmeController("nvme0"),
                RemotePath.of("/sys/block/nvme0n1/queue/scheduler"), new VolumeGroup("vg_storage.a-1"),
                new LogicalVolume("tp_virt_data"), new Size("500G"), Count.parse("2048", 0, 4096),
                new DomainRef.Uuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        Command command = Command.of("printf", "%s\\0");
        for (RemoteArg value : values) {
            command = command.arg(value);
        }
        assertThat(splitOnNul(sh(command.render()))).containsExactlyElementsOf(values.stream().map(RemoteArg::arg).toList());
    }

    @Test
    void quotingRefusesNul() {
        assertThatThrownBy(() -> Command.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String sh(String line) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    private static List<String> splitOnNul(String output) {
        List<String> parts = new ArrayList<>(List.of(output.split("\0", -1)));
        parts.remove(parts.size() - 1);
        return parts;
    }
}
