package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Passwords in domain XML masked wherever XML lets them stand, and put back byte for byte. */
class SecretAttributesTest {

    private static final String DOMAIN = """
            <domain type='kvm'>
              <devices>
                <graphics type='vnc' port='-1' passwd = 'spaced-out'/>
                <graphics type="spice" passwd="it's-double"/>
                <graphics type='vnc'
                          passwd='new&apos;line'/>
              </devices>
            </domain>
            """;

    @Test
    void masksEveryPasswdHoweverItIsWrittenAndPutsItBack() {
        StepState state = new StepState(Map.of("domain:vm", DOMAIN, "scheduler", "none"));

        StepState.Masked masked = state.masked();

        assertThat(masked.shown().get("domain:vm")).doesNotContain("spaced-out", "it's-double", "new&apos;line")
                .contains("passwd = '********'", "passwd=\"********\"", "passwd='********'");
        assertThat(masked.shown().get("scheduler")).isEqualTo("none");
        assertThat(masked.secrets()).isEqualTo(Map.of("domain:vm", List.of("spaced-out", "it's-double", "new&apos;line")));
        assertThat(masked.shown().withSecrets(masked.secrets())).isEqualTo(state);
        assertThat(state.redacted()).isEqualTo(masked.shown());
    }

    @Test
    void withholdsAWholeTextWhosePasswordItCannotFind() {
        String unparsable = "<graphics type='vnc' passwd='cut-off";
        String namespaced = "<domain xmlns:x='urn:x'><graphics x:passwd='elsewhere'/></domain>";

        for (String text : List.of(unparsable, namespaced)) {
            StepState.Masked masked = new StepState(Map.of("domain:vm", text)).masked();
            assertThat(masked.shown().get("domain:vm")).isEqualTo(SecretAttributes.WITHHELD);
            assertThat(masked.shown().withSecrets(masked.secrets()).get("domain:vm")).isEqualTo(text);
        }
        assertThat(StepState.redact("error: no passwd here, but it says the word")).isEqualTo(SecretAttributes.WITHHELD);
        assertThat(StepState.redact("error: domain not found")).isEqualTo("error: domain not found");
    }
}
