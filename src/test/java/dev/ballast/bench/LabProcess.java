package dev.ballast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A lab fleet in a child JVM (see {@code LabMain}), started from this JVM's class path. */
public final class LabProcess implements AutoCloseable {

    private final Process process;
    private final Path inventory;

    public LabProcess(int hosts, String authorizedKey) throws IOException {
        Path dir = Files.createTempDirectory("ballast-lab");
        Path key = dir.resolve("authorized.pub");
        Files.writeString(key, authorizedKey);
        inventory = dir.resolve("inventory.yaml");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.ballast.lab.LabMain", Integer.toString(hosts), key.toString(), inventory.toString()))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith("READY")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "lab-process-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("the lab process ended before it was ready (exit " + process.exitValue() + ")");
    }

    public String inventoryYaml() throws IOException {
        return Files.readString(inventory);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
