package dev.ballast.bench;

import static io.restassured.RestAssured.given;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Rolls one step out to 1,000 lab hosts and prints throughput, Ballast's CPU per host, peak heap and
 * rows written. The lab runs in its own JVM so the CPU figure is the client's alone.
 * Run with {@code mvn -B verify -Pbench}; not part of the test suite.
 */
@ApplicationTest
@TestProfile(RolloutBenchmark.Settings.class)
class RolloutBenchmark {

    static final int HOSTS = Integer.getInteger("bench.hosts", 1000);
    /** Rollouts over the whole fleet before the measured one: on two cores C2 needs ~20,000 hosts to settle. */
    static final int WARMUPS = Integer.getInteger("bench.warmups", 20);

    public static class Settings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ballast.workers.threads", System.getProperty("bench.threads", "100"), "quarkus.datasource.jdbc.max-size", "40",
                    "quarkus.log.category.\"dev.ballast\".level", "WARN");
        }
    }

    @Inject
    DataSource db;

    @Test
    void rollsOneStepOutToTheFleet() throws Exception {
        String publicKey = given().get("/api/identities/default").then().statusCode(200).extract().path("publicKey");
        try (LabProcess lab = new LabProcess(HOSTS, publicKey)) {
            given().contentType("application/yaml").body(lab.inventoryYaml().getBytes())
                    .post("/api/inventory/import?format=ballast").then().statusCode(200);
            given().contentType("application/yaml").body("""
                    name: bench-scheduler
                    steps:
                      - step: io-scheduler
                        params: {device: nvme0n1, scheduler: none}
                    waves:
                      canary: 1
                      sizes: [100%]
                      maxWaveFailures: 0
                    concurrency: 1000
                    """.getBytes()).post("/api/plans").then().statusCode(201);

            // Warm-up rollouts of other steps over the whole fleet: on two cores the JIT needs thousands of hosts
            // to catch up, and a Ballast server runs for weeks, so the figures are its steady state.
            given().contentType("application/yaml").body("""
                    name: bench-warmup
                    steps:
                      - step: io-scheduler
                        params: {device: sda, scheduler: none}
                    waves: {canary: 1, sizes: [100%]}
                    concurrency: 1000
                    """.getBytes()).post("/api/plans").then().statusCode(201);
            given().contentType("application/yaml").body("""
                    name: bench-warmup-2
                    steps:
                      - step: io-scheduler
                        params: {device: nvme1n1, scheduler: kyber}
                    waves: {canary: 1, sizes: [100%]}
                    concurrency: 1000
                    """.getBytes()).post("/api/plans").then().statusCode(201);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            StringBuilder warmups = new StringBuilder();
            for (int i = 0; i < WARMUPS; i++) {
                long cpu = os.getProcessCpuTime();
                long compiler = compilerThreadsCpuMillis();
                await(start(i % 2 == 0 ? "bench-warmup" : "bench-warmup-2", "env=lab"));
                warmups.append(String.format(" %.1f/%.1f", (os.getProcessCpuTime() - cpu) / 1e6 / HOSTS,
                        (compilerThreadsCpuMillis() - compiler) / (double) HOSTS));
            }

            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            Map<String, Long> threadsBefore = cpuByThreadGroup();
            long cpuBefore = os.getProcessCpuTime();
            long[] userSysBefore = userSysMillis();
            long gcBefore = gcMillis();
            long compilerBefore = compilerThreadsCpuMillis();
            long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long classesBefore = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
            long started = System.nanoTime();
            long id = start("bench-scheduler", "env=lab");
            String state = await(id);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1e6;
            double compilerMillis = compilerThreadsCpuMillis() - compilerBefore;
            long[] userSys = userSysMillis();
            long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            long rows = rows(id);
            Map<String, Integer> totals = given().get("/api/rollouts/" + id).then().extract().path("totals");
            Map<String, Long> threadsAfter = cpuByThreadGroup();
            StringBuilder groups = new StringBuilder();
            threadsAfter.forEach((group, nanos) -> {
                double perHost = (nanos - threadsBefore.getOrDefault(group, 0L)) / 1e6 / HOSTS;
                if (perHost >= 0.05) {
                    groups.append(String.format(" %s=%.2f", group, perHost));
                }
            });
            System.out.printf("%nBENCHMARK classes loaded during the run %d, GC pauses %.2f ms/host, JIT compilation %.2f ms/host%n",
                    ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classesBefore,
                    (gcMillis() - gcBefore) / (double) HOSTS,
                    (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore) / (double) HOSTS);
            System.out.printf("%nBENCHMARK warm-up rollouts, client CPU ms/host / of it the JIT compiler's:%s%n", warmups);
            System.out.printf("%nBENCHMARK process CPU in user mode %.2f ms/host, in the kernel %.2f ms/host%n",
                    (userSys[0] - userSysBefore[0]) / (double) HOSTS, (userSys[1] - userSysBefore[1]) / (double) HOSTS);
            System.out.printf("%nBENCHMARK live threads' CPU ms/host (the rest is JIT, GC and finished sshj readers):%s%n", groups);
            System.out.printf("%nBENCHMARK rollout of io-scheduler to %d lab hosts: %s %s%n", HOSTS, state, totals);
            System.out.printf("BENCHMARK wall %.2f s, %.0f hosts/s, client CPU %.2f ms/host (%.2f ms/host without the JIT "
                    + "compiler threads), peak heap %d MiB, rows written %d%n%n", seconds, HOSTS / seconds, cpuMillis / HOSTS,
                    (cpuMillis - compilerMillis) / HOSTS, peakHeap >> 20, rows);
        }
    }

    /** CPU time of the live threads, summed by name without numbers ("ballast-worker-17" -> "ballast-worker-"). */
    private static Map<String, Long> cpuByThreadGroup() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                groups.merge(info.getThreadName().replaceAll("[0-9]+", "#").replaceAll("/.*", ""), Math.max(0, nanos), Long::sum);
            }
        }
        return groups;
    }

    /** CPU the JIT's compiler threads used, from /proc (the JVM does not expose their CPU time). */
    private static long compilerThreadsCpuMillis() throws java.io.IOException {
        long ticks = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                try {
                    String name = java.nio.file.Files.readString(task.resolve("comm")).strip();
                    if (name.contains("CompilerThre")) {
                        String stat = java.nio.file.Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (java.io.IOException threadEnded) {
                    // a thread that ended meanwhile
                }
            }
        }
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    /** The process's CPU in user mode and in the kernel (sockets, thread wake-ups), from /proc. */
    private static long[] userSysMillis() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]) * 10, Long.parseLong(fields[12]) * 10};
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    private static long start(String plan, String selector) {
        return given().contentType("application/json").body(Map.of("plan", plan, "selector", selector, "mode", "apply"))
                .post("/api/rollouts").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Polls the rollout's state in the database (not over REST: the client's own JIT work would count). */
    private String await(long id) throws Exception {
        while (true) {
            Thread.sleep(200);
            try (var c = db.getConnection(); var s = c.prepareStatement("select state from rollout where id = ?")) {
                s.setLong(1, id);
                try (var r = s.executeQuery()) {
                    r.next();
                    String state = r.getString(1);
                    if (!state.equals("RUNNING") && !state.equals("PENDING")) {
                        return state;
                    }
                }
            }
        }
    }

    private long rows(long rollout) throws Exception {
        try (var c = db.getConnection(); var s = c.prepareStatement("select (select count(*) from host_task where rollout_id = ?)"
                + " + (select count(*) from step_result r join host_task t on t.id = r.task_id where t.rollout_id = ?)"
                + " + (select count(*) from rollback_point where rollout_id = ?) + (select count(*) from wave where rollout_id = ?) + 1")) {
            for (int i = 1; i <= 4; i++) {
                s.setLong(i, rollout);
            }
            try (var r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
