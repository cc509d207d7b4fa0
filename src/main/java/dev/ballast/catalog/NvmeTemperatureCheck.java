package dev.ballast.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * An NVMe controller runs cooler than a limit, read from its SMART log; a drive that is already hot
 * throttles under the load a rollout's benchmarks and guests bring. Hosts without nvme-cli are read
 * through lm-sensors instead.
 */
final class NvmeTemperatureCheck extends PreflightCheck<NvmeTemperatureCheck.Params> {

    /** nvme-cli's own conversion: the SMART log counts whole kelvins. */
    private static final int KELVIN = 273;
    /** What lm-sensors prints for a register it could not read, rather than a temperature. */
    private static final List<Double> SENTINELS = List.of(65261.85, -273.15);

    record Params(NvmeController controller, Count limit) {
        String expected() {
            return "< " + limit.value() + " °C";
        }
    }

    /** A temperature in °C, as shown ({@code celsius}) and compared ({@code value}), and which tool gave it. */
    record Reading(double value, String celsius, String source) {
    }

    @Override
    public String id() {
        return "nvme-temperature";
    }

    @Override
    public String description() {
        return "An NVMe controller is cooler than limit °C (nvme smart-log, whose temperature is in kelvins;"
                + " sensors -j where nvme-cli is not installed)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.optional("controller", "nvme-controller", "NVMe controller, such as nvme0", "nvme0",
                        "nvme\\d{1,3}"),
                ParameterSpec.optional("limit", "integer", "highest accepted temperature in °C, 1 to 120", "75", "[0-9]{1,3}"));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.optional("controller", "nvme0", NvmeController::new),
                params.optional("limit", "75", text -> Count.parse(text, 1, 120)));
    }

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        try {
            Reading reading = smartLog(shell, p);
            if (reading == null) {
                reading = sensors(shell, p);
            }
            String observed = reading.celsius() + " °C";
            CheckResult result = reading.value() < p.limit().value() ? CheckResult.passed(observed, p.expected())
                    : CheckResult.failed(observed, p.expected(), p.controller().name() + " is at " + observed
                            + ", not below the limit of " + p.limit().value() + " °C");
            return result.withFigures(Map.of("celsius", reading.celsius(), "source", reading.source()));
        } catch (CheckFailed failed) {
            return failed.result();
        }
    }

    /** The SMART log's temperature, or null when nvme-cli is not installed. */
    private static Reading smartLog(RemoteShell shell, Params p) throws RemoteFailure, CheckFailed {
        CommandResult result = shell.run(Command.of("nvme", "smart-log").arg(p.controller().node()).literal("-o", "json"));
        if (result.exitCode() == 127) {
            return null;
        }
        if (!result.succeeded()) {
            throw new CheckFailed("nvme exited " + result.exitCode(), p.expected(), "nvme smart-log failed"
                    + ToolOutput.stderrSuffix(result));
        }
        JsonNode temperature = ToolOutput.json("nvme smart-log", result, p.expected()).path("temperature");
        if (!temperature.canConvertToInt()) {
            throw new CheckFailed("no temperature", p.expected(),
                    "nvme smart-log has no temperature for " + p.controller().name());
        }
        int celsius = temperature.asInt() - KELVIN;
        return new Reading(celsius, Integer.toString(celsius), "nvme smart-log");
    }

    /**
     * The controller's Composite sensor in {@code sensors -j}, found by the chip name libsensors gives
     * its PCI address. sensors prints its JSON by hand and can print invalid JSON; that fails the check.
     */
    private static Reading sensors(RemoteShell shell, Params p) throws RemoteFailure, CheckFailed {
        PciAddress address = NvmePci.address(shell, p.controller(), p.expected());
        CommandResult result = shell.run(Command.of("sensors", "-j"));
        if (!result.succeeded()) {
            throw new CheckFailed("nvme-cli and sensors unusable", p.expected(), "nvme-cli is not installed and sensors -j"
                    + " exited " + result.exitCode() + ToolOutput.stderrSuffix(result));
        }
        String chip = address.sensorsChip("nvme");
        JsonNode input = ToolOutput.json("sensors -j", result, p.expected()).path(chip).path("Composite").path("temp1_input");
        if (!input.isNumber()) {
            throw new CheckFailed("no " + chip, p.expected(), "sensors shows no Composite temperature for " + chip
                    + " (" + p.controller().name() + ")");
        }
        double celsius = input.asDouble();
        if (SENTINELS.stream().anyMatch(s -> Math.abs(s - celsius) < 0.005)) {
            throw new CheckFailed("no reading", p.expected(), "sensors could not read " + chip + " (it printed " + celsius + ")");
        }
        return new Reading(celsius, String.format(Locale.ROOT, "%.1f", celsius), "sensors");
    }
}
