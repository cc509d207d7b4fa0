package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.catalog.CheckResult.Status;
import dev.ballast.lab.HostState;
import dev.ballast.remote.TestSsh;

class NvmeTemperatureCheckTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(11);
    final NvmeTemperatureCheck check = new NvmeTemperatureCheck();

    @Test
    void passesACoolDriveReadingKelvinsFromTheSmartLog() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-001", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.observed()).isEqualTo("36 °C");
        assertThat(result.expected()).isEqualTo("< 75 °C");
        assertThat(result.figures()).containsEntry("celsius", "36").containsEntry("source", "nvme smart-log");
    }

    @Test
    void failsAHotDriveAndPassesItUnderAHigherLimit() throws Exception {
        CheckResult hot = CheckOnLab.run(ssh, "lab-005", check, Map.of());
        assertThat(hot.status()).isEqualTo(Status.FAILED);
        assertThat(hot.observed()).isEqualTo("77 °C");
        assertThat(hot.expected()).isEqualTo("< 75 °C");
        assertThat(hot.message()).contains("nvme0 is at 77 °C");

        assertThat(CheckOnLab.run(ssh, "lab-005", check, Map.of("limit", "80")).status()).isEqualTo(Status.PASSED);
        assertThat(CheckOnLab.run(ssh, "lab-005", check, Map.of("controller", "nvme1")).status()).isEqualTo(Status.PASSED);
    }

    @Test
    void theLimitItselfIsAlreadyTooHot() throws Exception {
        HostState host = ssh.fleet().host("lab-004").state();
        host.setNvmeTemperatureKelvin("nvme0", 348);
        try {
            CheckResult result = CheckOnLab.run(ssh, "lab-004", check, Map.of());
            assertThat(result.status()).isEqualTo(Status.FAILED);
            assertThat(result.observed()).isEqualTo("75 °C");
        } finally {
            host.setNvmeTemperatureKelvin("nvme0", 312);
        }
    }

    @Test
    void fallsBackToSensorsWithoutNvmeCli() throws Exception {
        CheckResult cool = CheckOnLab.run(ssh, "lab-002", check, Map.of());
        assertThat(cool.status()).isEqualTo(Status.PASSED);
        assertThat(cool.figures()).containsEntry("celsius", "36.9").containsEntry("source", "sensors");

        HostState host = ssh.fleet().host("lab-002").state();
        host.setNvmeTemperatureKelvin("nvme1", 353);
        try {
            CheckResult hot = CheckOnLab.run(ssh, "lab-002", check, Map.of("controller", "nvme1"));
            assertThat(hot.status()).isEqualTo(Status.FAILED);
            assertThat(hot.observed()).isEqualTo("79.9 °C");
        } finally {
            host.setNvmeTemperatureKelvin("nvme1", 313);
        }
    }

    @Test
    void findsTheSensorsChipOfAControllerBehindVmd() throws Exception {
        HostState host = ssh.fleet().host("lab-011").state();
        host.setNvmeCliInstalled(false);
        try {
            CheckResult result = CheckOnLab.run(ssh, "lab-011", check, Map.of());
            assertThat(result.status()).as(result.message()).isEqualTo(Status.PASSED);
            assertThat(result.figures()).containsEntry("celsius", "35.9").containsEntry("source", "sensors");
        } finally {
            host.setNvmeCliInstalled(true);
        }
    }

    @Test
    void aSensorsPlaceholderIsNoReading() throws Exception {
        HostState host = ssh.fleet().host("lab-002").state();
        host.setNvmeTemperatureKelvin("nvme0", 0);
        try {
            CheckResult result = CheckOnLab.run(ssh, "lab-002", check, Map.of());
            assertThat(result.status()).isEqualTo(Status.FAILED);
            assertThat(result.observed()).isEqualTo("no reading");
            assertThat(result.message()).contains("could not read nvme-pci-0100");
        } finally {
            host.setNvmeTemperatureKelvin("nvme0", 310);
        }
    }

    @Test
    void invalidJsonFromSensorsFailsWithTheReason() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-010", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("invalid JSON");
        assertThat(result.message()).startsWith("sensors -j printed invalid JSON: ");
    }

    @Test
    void aControllerTheHostLacksFails() throws Exception {
        CheckResult smart = CheckOnLab.run(ssh, "lab-001", check, Map.of("controller", "nvme9"));
        assertThat(smart.status()).isEqualTo(Status.FAILED);
        assertThat(smart.message()).contains("Failed to open /dev/nvme9");

        HostState host = ssh.fleet().host("lab-001").state();
        host.setNvmeCliInstalled(false);
        try {
            CheckResult sensors = CheckOnLab.run(ssh, "lab-001", check, Map.of("controller", "nvme9"));
            assertThat(sensors.status()).isEqualTo(Status.FAILED);
            assertThat(sensors.message()).isEqualTo("the host has no NVMe controller nvme9");
        } finally {
            host.setNvmeCliInstalled(true);
        }
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        CheckOnLab.rejects(check, Map.of("controller", "nvme0;id", "limit", "500"),
                "steps[0].params.controller", "steps[0].params.limit");
        CheckOnLab.rejects(check, Map.of("limit", "0"), "steps[0].params.limit");
    }
}
