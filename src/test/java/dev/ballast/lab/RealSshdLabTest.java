package dev.ballast.lab;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.catalog.LabContract;
import dev.ballast.inventory.HostConnections;
import dev.ballast.inventory.HostName;
import dev.ballast.remote.Command;
import dev.ballast.remote.SshSession;
import dev.ballast.rollout.LabFleetFixture;
import jakarta.inject.Inject;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Ballast against real OpenSSH: five hosts of {@code deploy/lab/lab} (real sshd, bash and coreutils,
 * stub hypervisor tools), every preflight check and every catalog step applied and verified, then each
 * host rolled back from the web and checked back to exactly what the rollout had captured.
 */
@ApplicationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealSshdLabTest {

    static final List<String> HOSTS = List.of("hv-001.lab", "hv-002.lab", "hv-003.lab", "hv-004.lab", "hv-005.lab");
    static final List<String> STEPS = List.of("io-scheduler", "hugepages", "libvirt-disk-cache", "virtio-scsi",
            "domain-hugepages", "emulator-pinning", "lvm-thin-pool", "raw-disk-permissions");
    /** The guest-agent check is probed on its own below: odd lab hosts run a domain whose agent never answers. */
    static final List<String> CHECKS = List.of("kernel", "libvirt-version", "iommu", "nvme-temperature", "pcie-link",
            "fio-baseline");
    static final String PLAN = """
            name: real-sshd-every-step
            description: Every check and step of the catalog, on the real-sshd lab
            preflight:
              - check: kernel           # hv-003 runs RHEL 9's 5.14, with the backports this plan accepts
                params: {min: "5.14"}
              - check: libvirt-version  # before iommu: hv-004 fails both, and this one is the one asserted
                params: {min: "8.0.0"}
              - check: iommu
              - check: nvme-temperature # hv-005's nvme0 runs at 77 °C
                params: {controller: nvme0, limit: "80"}
              - check: pcie-link
                params: {controller: nvme0, width: "4"}
              - check: fio-baseline
                params: {device: nvme0n1, runtime: "5"}
            steps:
              - step: io-scheduler
                params: {device: nvme0n1, scheduler: none}
              - step: hugepages
                params: {count: "8192"}   # 16 GiB: enough free pages for every guest domain-hugepages switches
              - step: libvirt-disk-cache
                params: {domain: all}
              - step: virtio-scsi   # odd hosts run guests nothing shows to boot from it: this plan accepts them
                params: {domain: all, acceptUnknownGuests: "true"}
              - step: domain-hugepages
                params: {domain: all}
              - step: emulator-pinning  # CPU 4 is online on every lab host
                params: {domain: all, cpuset: "4"}
              - step: lvm-thin-pool
                params: {device: nvme1n1, vg: vg_lab, pool: tp_lab, size: 500G}
              - step: raw-disk-permissions
                params: {vg: vg_lab}
            waves: {canary: 1, sizes: [100%], maxWaveFailures: 2, maxTotalFailures: 2}
            """;

    @RegisterExtension
    static final QuarkusLab<RealSshdLab> lab = QuarkusLab.realSshd(HOSTS.size());

    @Inject
    HostConnections connections;

    /**
     * What each lab host's layout makes of the plan (deploy/lab/stubs/labtool init, the same layout as the
     * in-process lab): hv-003 runs a domain OpenStack nova manages, so libvirt-disk-cache refuses it and the
     * host rolls back what it had changed; hv-004 runs libvirt 7.0.0 and fails its preflight, changing
     * nothing, and has no SELinux. (hv-005's nvme0n1 already runs none, but without the udev rule that
     * keeps it at boot, so io-scheduler still has work there.)
     */
    /**
     * The stubs keep the lab contract: every committed transcript, recorded from the in-process lab, replayed
     * command by command on the host of the same index answers the same bytes. First, on hosts as they
     * started: the transcripts roll back what they change, and the tests below expect the hosts' first state.
     */
    @Test
    @Order(1)
    void theStubsAnswerTheLabContractAsTheSimulatorDoes() throws Exception {
        Map<Integer, List<LabContract.Exchange>> contract = LabContract.committed();
        Map<String, List<String>> differences = new LinkedHashMap<>();
        for (int index : LabContract.HOSTS) {
            String host = String.format("hv-%03d.lab", index);
            try (SshSession shell = connections.open(HostName.parse("host", host))) {
                List<String> found = LabContract.replay(shell, contract.get(index));
                if (!found.isEmpty()) {
                    differences.put(host, found);
                }
            }
        }
        assertThat(differences).as("answers of the stubs that differ from the in-process lab's").isEmpty();
    }

    @Test
    @Order(2)
    void everyStepIsAppliedVerifiedAndRolledBackOnRealSshd() throws Exception {
        LabFleetFixture.savePlan(PLAN);
        long rollout = LabFleetFixture.startRollout("real-sshd-every-step", "lab=sshd", "apply");
        JsonPath done = LabFleetFixture.awaitState(rollout, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "HALTED");
        // Every wave ran (two failures were within the plan's thresholds); a rollout that ends with failed hosts is FAILED.
        assertThat(done.getString("state")).as(() -> histories(rollout).toString()).isEqualTo("FAILED");
        assertThat(done.getList("waves.state")).doesNotContain("PENDING", "RUNNING");

        Map<String, String> tasks = new LinkedHashMap<>();
        HOSTS.forEach(host -> tasks.put(host, detail(rollout, host).getString("task.state")));
        assertThat(tasks).as(() -> histories(rollout).toString()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "hv-001.lab", "SUCCEEDED", "hv-002.lab", "SUCCEEDED", "hv-003.lab", "ROLLED_BACK", "hv-004.lab", "FAILED",
                "hv-005.lab", "SUCCEEDED"));
        JsonPath refused = detail(rollout, "hv-003.lab");
        assertThat(refused.getString("task.errorKind")).isEqualTo("REFUSED_UNSAFE");
        assertThat(refused.getList("history.findAll { it.kind == 'ROLLBACK' }.name")).containsExactly("hugepages", "io-scheduler");
        assertThat(refused.getList("history.findAll { it.kind == 'ROLLBACK' }.outcome")).containsOnly("ROLLED_BACK");
        JsonPath old = detail(rollout, "hv-004.lab");
        assertThat(old.getString("task.errorKind")).isEqualTo("PREFLIGHT_FAILED");
        assertThat(old.getString("task.error")).contains("libvirt daemon 7.0.0 is older than 8.0.0");
        assertThat(old.getList("history.findAll { it.kind == 'STEP' }")).isEmpty();

        // Pinned live through the stubs' virsh, not only in the XML: every running domain's emulator is on CPU 4.
        Map<String, Object> pinned = castFacts(detail(rollout, "hv-002.lab").get("history.find { it.name == 'emulator-pinning' }.after"));
        assertThat(pinned.entrySet().stream().filter(f -> f.getKey().startsWith("live/")).map(Map.Entry::getValue).toList())
                .isNotEmpty().containsOnly("4");

        Map<String, Map<String, Object>> applied = new LinkedHashMap<>();
        Map<String, Object> original = new LinkedHashMap<>();
        for (String host : List.of("hv-001.lab", "hv-002.lab", "hv-003.lab", "hv-005.lab")) {
            JsonPath detail = detail(rollout, host);
            assertThat(detail.getList("history.findAll { it.kind == 'CHECK' }.name")).as(host).containsExactlyElementsOf(CHECKS);
            assertThat(detail.getList("history.findAll { it.kind == 'CHECK' }.outcome")).as(host).containsOnly("PASSED");
            List<Map<String, Object>> steps = detail.getList("history.findAll { it.kind == 'STEP' }");
            for (Map<String, Object> step : steps) {
                if (step.get("outcome").equals("APPLIED")) {
                    applied.put(host + " " + step.get("name"), castFacts(step.get("before")));
                    // Steps on the same domain XML see each other's changes: the first one saw the original.
                    castFacts(step.get("before")).forEach((fact, value) -> original.putIfAbsent(host + " " + fact, value));
                }
            }
            if (!host.equals("hv-003.lab")) {
                assertThat(steps).extracting(st -> st.get("name")).as(host).containsExactlyElementsOf(STEPS);
                assertThat(steps).extracting(st -> st.get("outcome")).as(host).containsOnly("APPLIED");
            }
        }

        for (String host : List.of("hv-001.lab", "hv-002.lab", "hv-005.lab")) {
            long rollback = given().contentType("application/json").body(Map.of("rollout", rollout))
                    .post("/api/hosts/" + host + "/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
            JsonPath back = LabFleetFixture.awaitState(rollback, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");
            JsonPath detail = detail(rollback, host);
            assertThat(back.getString("state")).as(() -> detail.prettify()).isEqualTo("SUCCEEDED");
            List<String> undone = new ArrayList<>(applied.keySet().stream().filter(k -> k.startsWith(host + " "))
                    .map(k -> k.substring(host.length() + 1)).toList());
            Collections.reverse(undone);
            assertThat(detail.getList("history.name")).as(host).containsExactlyElementsOf(undone);
            assertThat(detail.getList("history.outcome")).as(host).containsOnly("ROLLED_BACK");
        }

        // A check of the same plan now finds every host as the rollout found it, fact for fact.
        long check = LabFleetFixture.startRollout("real-sshd-every-step", "lab=sshd", "check");
        LabFleetFixture.awaitState(check, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "HALTED");
        int compared = 0;
        for (String host : HOSTS) {
            for (Map<String, Object> step : detail(check, host).<Map<String, Object>>getList("history.findAll { it.kind == 'STEP' }")) {
                if (applied.containsKey(host + " " + step.get("name"))) {
                    // vg_lab is gone with its thin pool, and raw-disk-permissions has no group to look at.
                    boolean groupGone = step.get("name").equals("raw-disk-permissions");
                    assertThat(step.get("outcome")).as(host + " " + step.get("name") + ": " + step.get("detail"))
                            .isEqualTo(groupGone ? "NOT_APPLICABLE" : "DRIFTED");
                    Map<String, Object> facts = groupGone ? Map.of() : castFacts(step.get("before"));
                    for (Map.Entry<String, Object> fact : facts.entrySet()) {
                        assertThat(fact.getValue()).as(host + " " + step.get("name") + " " + fact.getKey())
                                .isEqualTo(original.get(host + " " + fact.getKey()));
                    }
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(applied.size());

        // Applied again, then every host reboots: a host called SUCCEEDED is COMPLIANT after its reboot, its guests
        // started again from the XML Ballast left (domain-hugepages among it, on the pages hugepages persisted).
        long again = LabFleetFixture.startRollout("real-sshd-every-step", "lab=sshd", "apply");
        LabFleetFixture.awaitState(again, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "HALTED");
        for (String host : HOSTS) {
            assertThat(lab.fleet().reboot(host)).as(host + ": guests that did not start again").isEmpty();
        }
        long afterReboot = LabFleetFixture.startRollout("real-sshd-every-step", "lab=sshd", "check");
        LabFleetFixture.awaitState(afterReboot, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "HALTED");
        for (String host : List.of("hv-001.lab", "hv-002.lab", "hv-005.lab")) {
            assertThat(detail(again, host).getString("task.state")).as(host).isEqualTo("SUCCEEDED");
            JsonPath checked = detail(afterReboot, host);
            assertThat(checked.getString("task.state")).as(() -> checked.prettify()).isEqualTo("COMPLIANT");
        }
    }

    /**
     * One plan over the mixed fleet: hv-004 runs AppArmor and gets apparmor-raw-disk's grant (its only group,
     * vg_os, stands in for one of VM disks: dm-0 and dm-1 behind it), the SELinux hosts are compliant as they
     * are. The grant survives a reboot, and the web rollback puts the file back byte for byte.
     */
    @Test
    @Order(5)
    void qemuDiskAccessGrantsTheAppArmorHostAndRollsBackByteForByte() throws Exception {
        String local = "/etc/apparmor.d/local/abstractions/libvirt-qemu";
        String shipped = fileOn("hv-004.lab", local);
        LabFleetFixture.savePlan("""
                name: real-sshd-qemu-disk-access
                steps:
                  - step: qemu-disk-access
                    params: {vg: vg_os}
                waves: {canary: 1, sizes: [100%]}
                """);
        long rollout = LabFleetFixture.startRollout("real-sshd-qemu-disk-access", "lab=sshd", "apply");
        JsonPath done = LabFleetFixture.awaitState(rollout, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(done.getString("state")).as(() -> histories(rollout).toString()).isEqualTo("SUCCEEDED");
        Map<String, String> tasks = new LinkedHashMap<>();
        HOSTS.forEach(host -> tasks.put(host, detail(rollout, host).getString("task.state")));
        assertThat(tasks).containsExactlyInAnyOrderEntriesOf(Map.of("hv-001.lab", "ALREADY_COMPLIANT", "hv-002.lab",
                "ALREADY_COMPLIANT", "hv-003.lab", "ALREADY_COMPLIANT", "hv-004.lab", "SUCCEEDED", "hv-005.lab", "ALREADY_COMPLIANT"));
        assertThat(fileOn("hv-004.lab", local)).startsWith(shipped).contains("/dev/vg_os/* rw,\n/dev/dm-0 rw,\n/dev/dm-1 rw,\n");

        assertThat(lab.fleet().reboot("hv-004.lab")).as("guests that did not start again").isEmpty();
        probeStep("hv-004.lab", "apparmor-raw-disk", Map.of("vg", "vg_os")).then().statusCode(200).body("compliant", equalTo(true));
        probeStep("hv-002.lab", "apparmor-raw-disk", Map.of("vg", "vg_storage")).then().statusCode(409)
                .body("detail", containsString("AppArmor is absent"));

        long rollback = given().contentType("application/json").body(Map.of("rollout", rollout))
                .post("/api/hosts/hv-004.lab/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath back = LabFleetFixture.awaitState(rollback, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(back.getString("state")).as(() -> detail(rollback, "hv-004.lab").prettify()).isEqualTo("SUCCEEDED");
        assertThat(fileOn("hv-004.lab", local)).isEqualTo(shipped);
    }

    private String fileOn(String host, String path) throws Exception {
        try (SshSession shell = connections.open(HostName.parse("host", host))) {
            return shell.check(Command.of("cat", "--", path)).stdout();
        }
    }

    /** A stacked device (device-mapper, md, an NVMe multipath head) has no scheduler of its own, on real sshd too. */
    @Test
    @Order(4)
    void aStackedDeviceIsNotApplicable() {
        for (String device : List.of("dm-0", "md0", "nvme2n1")) {
            given().contentType("application/json").body(Map.of("step", "io-scheduler", "params", Map.of("device", device)))
                    .post("/api/hosts/hv-001.lab/probe").then().statusCode(409)
                    .body("type", containsString("step-not-applicable"))
                    .body("detail", containsString(device + " has no I/O scheduler of its own"));
        }
    }

    @Test
    @Order(3)
    void theGuestAgentCheckTellsAnsweringFromSilentDomains() {
        guestAgent("hv-002.lab", Map.of("domain", "vm-2-1")).then().statusCode(200).body("result.status", equalTo("PASSED"));
        guestAgent("hv-001.lab", Map.of("domain", "all")).then().statusCode(200).body("result.status", equalTo("FAILED"))
                .body("result.message", containsString("did not answer on 1 of 2 domains"));
        // hv-002's guests run qemu-guest-agent 5.2.0: they answer a ping, yet are older than the plan allows.
        guestAgent("hv-002.lab", Map.of("domain", "vm-2-1", "minVersion", "7.0")).then().statusCode(200)
                .body("result.status", equalTo("FAILED")).body("result.figures.libvirt", equalTo("9.0.0"))
                .body("result.message", containsString("is older than 7.0.0 (libvirt daemon 9.0.0)"));
        guestAgent("hv-001.lab", Map.of("domain", "vm-1-1", "minVersion", "7.0")).then().statusCode(200)
                .body("result.status", equalTo("PASSED"));
    }

    /**
     * The kernel-io-errors check reads each host's own kernel log through real sshd: hv-005 logged nvme0 timeouts
     * and an sda I/O error (as one host in six of the in-process lab), the others are quiet; hv-004 keeps no kernel
     * log in journald, so the check falls back to dmesg there. Before the rollouts: their reboots start a quiet log.
     */
    @Test
    @Order(0)
    void theKernelIoErrorsCheckFailsTheHostWhoseKernelLogsErrorsAndPassesQuietOnes() {
        for (String host : HOSTS) {
            Response probe = given().contentType("application/json").body(Map.of("check", "kernel-io-errors", "params", Map.of()))
                    .post("/api/hosts/" + host + "/probe");
            if (host.equals("hv-005.lab")) {
                probe.then().statusCode(200).body("result.status", equalTo("FAILED"))
                        .body("result.observed", equalTo("4 I/O errors (nvme0 3, sda 1)"))
                        .body("result.message", containsString("nvme nvme0: I/O 417 QID 3 timeout, aborting"));
            } else {
                probe.then().statusCode(200).body("result.status", equalTo("PASSED"))
                        .body("result.observed", equalTo("0 I/O errors"))
                        .body("result.figures.source", equalTo(host.equals("hv-004.lab") ? "dmesg" : "journalctl -k -b"));
            }
        }
    }

    /**
     * The stubs' /dev/VG/LV and /dev/mapper/NAME are symlinks to dm nodes numbered as in the in-process lab, and
     * the real readlink resolves them: hv-001's multipath PV is dm-2, hv-002's VM disks are dm-2 and dm-3.
     */
    @Test
    void stepsSeeTheDeviceMapperNodesBehindTheLinks() {
        probeStep("hv-001.lab", "lvm-thin-pool", Map.of("device", "dm-2", "vg", "vg_san", "pool", "tp_san", "size", "500G"))
                .then().statusCode(200).body("state.pv", equalTo("(no volume group)"));
        probeStep("hv-002.lab", "selinux-context", Map.of("vg", "vg_storage")).then().statusCode(409)
                .body("detail", containsString("/dev/vg_storage/vm-db01 -> /dev/dm-3, /dev/vg_storage/vm-web01 -> /dev/dm-2"));
    }

    private static Response probeStep(String host, String step, Map<String, String> params) {
        return given().contentType("application/json").body(Map.of("step", step, "params", params))
                .post("/api/hosts/" + host + "/probe");
    }

    private static Response guestAgent(String host, Map<String, String> params) {
        return given().contentType("application/json").body(Map.of("check", "guest-agent", "params", params))
                .post("/api/hosts/" + host + "/probe");
    }

    private static JsonPath detail(long rollout, String host) {
        return given().get("/api/rollouts/" + rollout + "/hosts/" + host).then().statusCode(200).extract().jsonPath();
    }

    private static List<String> histories(long rollout) {
        return HOSTS.stream().map(h -> given().get("/api/rollouts/" + rollout + "/hosts/" + h).asString()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castFacts(Object facts) {
        return (Map<String, Object>) facts;
    }
}
