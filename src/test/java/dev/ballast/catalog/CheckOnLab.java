package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.assertj.core.api.Assertions;

import dev.ballast.problem.FieldError;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/** Runs one preflight check on one lab host over real SSH, configured as a plan's first step would be. */
final class CheckOnLab {

    private CheckOnLab() {
    }

    static CheckResult run(TestSsh ssh, String host, PreflightCheck<?> check, Map<String, String> params) throws Exception {
        PreflightCheck.Configured<?> configured = check.configure("steps[0].params", params);
        try (SshSession shell = ssh.open(host)) {
            return configured.run(shell);
        }
    }

    /** Configuring with {@code params} fails naming exactly these fields. */
    static void rejects(PreflightCheck<?> check, Map<String, String> params, String... fields) {
        assertThatThrownBy(() -> check.configure("steps[0].params", params))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> Assertions.assertThat(((InvalidInputException) e).errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder(fields));
    }
}
