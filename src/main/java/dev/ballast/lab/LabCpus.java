package dev.ballast.lab;

import java.util.BitSet;

/**
 * A lab host's CPUs as /sys/devices/system/cpu shows them: {@code count} CPUs present (libvirt's maxcpu), some
 * taken offline, some kept from the scheduler with isolcpus=. Also the CPU lists virsh takes and prints, parsed
 * and printed here rather than with the catalog's code, which the lab judges.
 */
final class LabCpus implements LabFiles {

    private static final String DIR = "/sys/devices/system/cpu/";

    int count = 8;
    final BitSet offline = new BitSet();
    final BitSet isolated = new BitSet();

    @Override
    public boolean owns(String path) {
        return path.startsWith(DIR);
    }

    @Override
    public String read(String path) {
        return switch (path.substring(DIR.length())) {
            case "online" -> format(online()) + "\n";
            // The kernel prints an empty line when isolcpus= isolates nothing.
            case "isolated" -> format(isolated) + "\n";
            default -> null;
        };
    }

    @Override
    public Exec write(String path, String text) {
        throw new LabSurprise("no step should write " + path);
    }

    BitSet online() {
        BitSet online = new BitSet();
        online.set(0, count);
        online.andNot(offline);
        return online;
    }

    /** A CPU list as libvirt's virBitmapParse takes it ({@code 0-3,^2} included); null when it is not one. */
    static BitSet parse(String list) {
        BitSet cpus = new BitSet();
        for (String part : list.split(",", -1)) {
            boolean exclude = part.startsWith("^");
            String range = exclude ? part.substring(1) : part;
            if (!range.matches("[0-9]{1,4}(-[0-9]{1,4})?")) {
                return null;
            }
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = Integer.parseInt(ends[ends.length - 1]);
            if (to < from) {
                return null;
            }
            if (exclude) {
                cpus.clear(from, to + 1);
            } else {
                cpus.set(from, to + 1);
            }
        }
        return cpus;
    }

    /** Ascending ranges, as libvirt's virBitmapFormat and the kernel print them. */
    static String format(BitSet cpus) {
        StringBuilder out = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; from = cpus.nextSetBit(cpus.nextClearBit(from))) {
            int to = cpus.nextClearBit(from) - 1;
            out.append(out.isEmpty() ? "" : ",").append(from).append(from == to ? "" : "-" + to);
        }
        return out.toString();
    }
}
