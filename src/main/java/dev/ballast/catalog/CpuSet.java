package dev.ballast.catalog;

import java.util.BitSet;
import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/**
 * A set of host CPUs in the list format the kernel and libvirt print ({@code 2}, {@code 2-3}, {@code 0,4-5}).
 * Compared as a set, so {@code 2,3} and {@code 2-3} are the same pin; printed, and sent to virsh, in the
 * canonical form libvirt prints back (ascending ranges), so what a probe reads equals what apply wrote.
 */
record CpuSet(BitSet cpus) implements RemoteArg {

    /** Highest CPU number a parameter may name: more than any hypervisor Ballast meets, few enough to stay cheap. */
    static final int MAX_CPU = 4095;
    static final String PATTERN = "[0-9]{1,4}(-[0-9]{1,4})?(,[0-9]{1,4}(-[0-9]{1,4})?){0,63}";
    private static final Pattern LIST = Pattern.compile(PATTERN);

    CpuSet {
        cpus = (BitSet) cpus.clone();
    }

    /** A cpuset parameter: a non-empty list of ascending ranges; anything else never reaches a host. */
    static CpuSet parse(String text) {
        Values.matching("cpuset", text, LIST, "CPU numbers and ranges such as 2, 2-3 or 0,4-5");
        CpuSet set = read(text);
        if (set.cpus.length() - 1 > MAX_CPU) {
            throw new IllegalArgumentException("'" + text + "' is not a valid cpuset: CPU numbers go up to " + MAX_CPU);
        }
        return set;
    }

    /** A CPU list a host printed (a sysfs file, virsh); blank means none, as /sys/devices/system/cpu/isolated says it. */
    static CpuSet ofHost(String text) {
        String list = text.strip();
        if (list.isEmpty()) {
            return new CpuSet(new BitSet());
        }
        if (!LIST.matcher(list).matches()) {
            throw new IllegalArgumentException("'" + Values.printable(list) + "' is not a CPU list");
        }
        return read(list);
    }

    private static CpuSet read(String list) {
        BitSet cpus = new BitSet();
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = Integer.parseInt(ends[ends.length - 1]);
            if (to < from) {
                throw new IllegalArgumentException("'" + list + "' is not a valid cpuset: range " + range + " runs backwards");
            }
            cpus.set(from, to + 1);
        }
        return new CpuSet(cpus);
    }

    boolean isEmpty() {
        return cpus.isEmpty();
    }

    /** The CPUs of this set that {@code other} lacks. */
    CpuSet without(CpuSet other) {
        BitSet rest = (BitSet) cpus.clone();
        rest.andNot(other.cpus);
        return new CpuSet(rest);
    }

    CpuSet and(CpuSet other) {
        BitSet both = (BitSet) cpus.clone();
        both.and(other.cpus);
        return new CpuSet(both);
    }

    @Override
    public String arg() {
        return toString();
    }

    /** Ascending ranges joined by commas, a single CPU without a dash: libvirt's virBitmapFormat. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int from = cpus.nextSetBit(0); from >= 0; from = cpus.nextSetBit(cpus.nextClearBit(from))) {
            int to = cpus.nextClearBit(from) - 1;
            out.append(out.isEmpty() ? "" : ",").append(from).append(from == to ? "" : "-" + to);
        }
        return out.toString();
    }
}
