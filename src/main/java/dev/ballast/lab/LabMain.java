package dev.ballast.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A lab fleet in a process of its own, so a benchmark measures Ballast's CPU without the simulated
 * servers' and a test can kill Ballast without killing its hosts.
 * Usage: {@code LabMain HOSTS AUTHORIZED_KEY_FILE INVENTORY_OUT}; prints {@code READY} when serving,
 * writes a Ballast inventory with every host key pinned, and runs until killed.
 */
public final class LabMain {

    private LabMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3 || !args[0].matches("[0-9]{1,5}")) {
            System.err.println("usage: LabMain HOSTS AUTHORIZED_KEY_FILE INVENTORY_OUT");
            System.exit(2);
        }
        LabFleet fleet = LabFleet.start(Integer.parseInt(args[0]), Files.readString(Path.of(args[1])).strip());
        Runtime.getRuntime().addShutdownHook(new Thread(fleet::close));
        Files.writeString(Path.of(args[2]), fleet.inventoryYaml());
        System.out.println("READY " + fleet.hosts().size() + " hosts");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
