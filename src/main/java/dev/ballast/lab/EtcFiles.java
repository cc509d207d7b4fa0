package dev.ballast.lab;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The configuration files under /etc that steps write: only the directories Ballast's steps use. */
final class EtcFiles implements LabFiles {

    private static final List<String> WRITABLE = List.of("/etc/udev/rules.d/", "/etc/sysctl.d/", "/etc/tmpfiles.d/",
            "/etc/apparmor.d/local/abstractions/");
    private final Map<String, String> files = new TreeMap<>();

    @Override
    public boolean owns(String path) {
        return path.startsWith("/etc/");
    }

    @Override
    public String read(String path) {
        return files.get(path);
    }

    @Override
    public Exec write(String path, String text) {
        checkWritable(path);
        files.put(path, text);
        return Exec.ok(text);
    }

    @Override
    public Exec remove(String path) {
        checkWritable(path);
        files.remove(path);
        return Exec.ok("");
    }

    /** Every file, by path in name order, as a boot reads them. */
    Map<String, String> all() {
        return new TreeMap<>(files);
    }

    /** A file the host's own administrator wrote, such as /etc/sysctl.conf: no step writes it. */
    void putByHand(String path, String text) {
        files.put(path, text);
    }

    private static void checkWritable(String path) {
        if (WRITABLE.stream().noneMatch(dir -> path.startsWith(dir) && path.indexOf('/', dir.length()) < 0)) {
            throw new LabSurprise("no step should write " + path);
        }
    }
}
