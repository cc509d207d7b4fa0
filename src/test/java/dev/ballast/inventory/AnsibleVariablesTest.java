package dev.ballast.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnsibleVariablesTest {

    /** YAML lets a variable be a list: such a connection is no SSH one, and reading it must not fail the import. */
    @Test
    void aConnectionThatIsAListIsWarnedAbout() {
        InventoryFormat.Parsed parsed = InventoryFormat.read(InventoryFormat.ANSIBLE_YAML,
                "all:\n  hosts:\n    odd-hv1:\n      ansible_connection: [ssh, local]\n");

        assertThat(parsed.hosts()).extracting(h -> h.name().value()).containsExactly("odd-hv1");
        assertThat(parsed.notes().warnings()).extracting(ImportReport.Warning::field).containsExactly("ansible_connection");
    }
}
