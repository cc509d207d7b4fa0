package dev.ballast;

import java.util.List;

/** Values an attacker or a careless script could send where a device, name or number is expected. */
public final class InjectionCorpus {

    public static final List<String> VALUES = List.of("nvme0n1;reboot", "sda && rm -rf /", "$(id)", "`id`", "sda|cat",
            "nvme0n1\nreboot", "'; reboot; '", "\"sda\"", "sd*", "sd?", "../../etc/passwd", "/dev/../etc", "..", ".",
            "sda\0", "sda ", " sda", "-rf", "--help", "a".repeat(300), "vg$HOME", "vg>x", "vg<x", "vg&", "~root",
            "sda\\", "vg{a,b}", "vg#x", "\u00e9t\u00e9", "");

    private InjectionCorpus() {
    }
}
