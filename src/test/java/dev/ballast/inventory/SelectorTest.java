package dev.ballast.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ballast.problem.InvalidInputException;

class SelectorTest {

    @Test
    void parsesEveryKindOfRequirement() {
        Selector selector = Selector.parse("selector", "rack=r1, role!=storage,zone in (a, b),tier notin (x),gpu,!retired,env==prod");

        assertThat(selector.requirements()).containsExactly(
                new Selector.Equals("rack", "r1"),
                new Selector.NotEquals("role", "storage"),
                new Selector.In("zone", List.of("a", "b")),
                new Selector.NotIn("tier", List.of("x")),
                new Selector.Exists("gpu"),
                new Selector.Absent("retired"),
                new Selector.Equals("env", "prod"));
        assertThat(selector.toString()).isEqualTo("rack=r1,role!=storage,zone in (a,b),tier notin (x),gpu,!retired,env=prod");
        assertThat(Selector.parse("selector", selector.toString())).isEqualTo(selector);
    }

    @Test
    void bindsEveryValueAsAParameterNeverIntoTheSql() {
        Selector selector = Selector.parse("selector", "rack=r1,zone in (a,b),example.com/tier");

        assertThat(selector.toSql()).doesNotContain("r1", "rack", "zone", "tier");
        assertThat(selector.sqlParameters()).containsExactly("rack", "r1", "zone", "a", "b", "example.com/tier");
    }

    @Test
    void treatsABlankSelectorAsEveryHost() {
        assertThat(Selector.parse("selector", "  ")).isEqualTo(Selector.ALL);
        assertThat(Selector.ALL.toSql()).isEqualTo("true");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "rack=r1,,zone=a        | at position 9: expected a label key",
            "zone in (a,b           | at position 13: expected ',' or ')'",
            "zone in a              | at position 9: expected '(' to open the list",
            "rack=$(id)             | at position 6",
            "rack r1                | at position 6: expected ',' or the end",
            "=r1                    | at position 1: expected a label key",
            "'rack'=r1              | at position 1: expected a label key",
            "rack=r1;reboot         | at position 8: expected ',' or the end",
            "-rack=r1               | is not a label key",
            "rack!=                 | at position 7: expected a label value after '!='",
            "rack notin ()          | at position 13: expected at least one label value",
            "rack in ( )            | at position 11: expected at least one label value" })
    void namesThePositionOfWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> Selector.parse("selector", text.strip()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("selector: ")
                .hasMessageContaining(message);
    }

    @Test
    void refusesOverlongSelectors() {
        assertThatThrownBy(() -> Selector.parse("selector", "a=b,".repeat(2000) + "a=b"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 4096");
    }
}
