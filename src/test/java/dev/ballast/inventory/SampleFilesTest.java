package dev.ballast.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The samples are safe to follow as they stand: their hosts live at documentation addresses (RFC 5737,
 * RFC 3849) and {@code .example} names (RFC 2606), so a copied command reaches no real machine, and the
 * sample plans' instructions roll out to the lab only.
 */
class SampleFilesTest {

    private static final List<String> DOCUMENTATION_PREFIXES = List.of("192.0.2.", "198.51.100.", "203.0.113.", "2001:db8:");
    private static final Pattern SELECTOR = Pattern.compile("\"selector\": \"([^\"]*)\"");

    @Test
    void sampleInventoriesNameOnlyDocumentationAddressesAndExampleNames() throws IOException {
        for (String file : List.of("inventory/fleet-50.yaml", "inventory/ansible-example.ini")) {
            List<ImportedHost> hosts = InventoryFormat.read(null, Files.readString(Path.of(file))).hosts();
            assertThat(hosts).as(file).isNotEmpty().allSatisfy(host -> {
                assertThat(host.name().value()).as(file).endsWith(".example");
                String address = host.address().value().toLowerCase(Locale.ROOT);
                assertThat(address.endsWith(".example") || DOCUMENTATION_PREFIXES.stream().anyMatch(address::startsWith))
                        .as(file + ": " + host.name() + " at " + address).isTrue();
            });
        }
    }

    @Test
    void samplePlansSayToRollOutToTheLab() throws IOException {
        try (Stream<Path> plans = Files.list(Path.of("inventory/plans"))) {
            for (Path plan : plans.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                List<String> selectors = Files.readAllLines(plan).stream().filter(line -> line.startsWith("#"))
                        .flatMap(line -> {
                            Matcher m = SELECTOR.matcher(line);
                            return m.results().map(r -> r.group(1));
                        }).toList();
                assertThat(selectors).as(plan.toString()).isNotEmpty().containsOnly("env=lab");
            }
        }
    }
}
