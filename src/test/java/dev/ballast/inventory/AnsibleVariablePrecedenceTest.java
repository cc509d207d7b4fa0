package dev.ballast.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * An Ansible inventory imports with the address, port and user Ansible connects with, and the variables
 * it gives the host. The expected values were read from ansible-core 2.14 itself ({@code ansible -vvv} and
 * {@code ansible-inventory --host}) on the two files, which describe one fleet in INI and in YAML.
 */
class AnsibleVariablePrecedenceTest {

    private static final Map<String, ImportedHost> INI = hosts("layered.ini");
    private static final Map<String, ImportedHost> YAML = hosts("layered.yml");

    private static Map<String, ImportedHost> hosts(String file) {
        return InventoryFormat.read(null, InventoryImportTest.resource(file)).hosts().stream()
                .collect(Collectors.toMap(h -> h.name().value(), Function.identity()));
    }

    /** As a new host gets it: no port or user in the inventory is Ballast's default. */
    private static String connection(ImportedHost host) {
        HostSpec created = host.over(null);
        return created.user().value() + "@" + created.address().value() + ":" + created.port().value();
    }

    @Test
    void aHostsOwnVariablesWinOverItsGroupsAndAll() {
        // [all:vars] ansible_user=deploy; the host line says ansible_ssh_user=ops.
        assertThat(connection(INI.get("hv01.dc2.example"))).isEqualTo("ops@hv01.dc2.example:22");
        assertThat(connection(INI.get("bastion.dc2.example"))).isEqualTo("ops@192.0.2.10:22");
    }

    @Test
    void theLegacyNameWinsWhereverItIsSetAsInAnsible() {
        // Ansible resolves each name on its own (host over child group over parent over all), then takes
        // ansible_ssh_* over ansible_*: a group's ansible_ssh_port beats the host's own ansible_port.
        assertThat(connection(INI.get("hv04.dc2.example"))).isEqualTo("r2-admin@hv04.dc2.example:22");
        assertThat(connection(INI.get("hv07.dc2.example"))).as("both names on the host line")
                .isEqualTo("r2-admin@hv07.dc2.example:2207");
        assertThat(connection(INI.get("st2.dc2.example"))).isEqualTo("storage-admin@192.0.2.22:22");
    }

    @Test
    void childGroupsWinOverParentsAndAGroupIsAsDeepAsItsLongestPath() {
        assertThat(INI.get("hv01.dc2.example").labels().values()).isEqualTo(Map.of("dc2", "", "compute", "", "rack_r1", "",
                "env", "prod", "zone", "dc2-a", "role", "compute", "rack", "r1"));
        // accelerated is under dc2 and under compute: three deep, so its role beats compute's.
        assertThat(INI.get("hv06.dc2.example").labels().values()).containsEntry("role", "gpu").containsEntry("gpu", "a100")
                .containsEntry("accelerated", "");
    }

    @Test
    void ansibleGroupPriorityOrdersGroupsOfOneDepth() {
        assertThat(INI.get("st1.dc2.example").labels().values()).containsEntry("role", "ceph").doesNotContainKey("ansible_group_priority");
        assertThat(INI.get("st2.dc2.example").labels().values()).containsEntry("role", "storage");
    }

    @Test
    void theIniAndYamlFormsOfOneInventoryImportAlike() {
        assertThat(YAML.keySet()).containsExactlyInAnyOrderElementsOf(INI.keySet());
        List<String> names = INI.keySet().stream().sorted().toList();
        assertThat(names).hasSize(10);
        for (String name : names) {
            assertThat(connection(YAML.get(name))).as(name).isEqualTo(connection(INI.get(name)));
            assertThat(YAML.get(name).labels()).as(name).isEqualTo(INI.get(name).labels());
        }
    }
}
