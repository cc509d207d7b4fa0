package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * What pvs, vgs and lvs report, read in LVM's JSON form ({@code {"report":[{"lv":[{...}]}]}}, every
 * value a string, as LVM 2.03 prints without {@code json_std}). The three option lists below are the
 * only ones the catalog sends, so the lab can simulate exactly them.
 */
record LvmReport(List<Pv> pvs, List<Vg> vgs, List<Lv> lvs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A physical volume: {@code name} as pvs prints it, {@code node} the device node that name resolves to
     * (dm-N for /dev/mapper/NAME), and {@code vg}, empty for a PV that belongs to no volume group.
     */
    record Pv(String name, String node, String vg) {
    }

    record Vg(String name, int pvCount, int lvCount) {
    }

    /** A logical volume; {@code pool} names the thin pool a thin volume lives in, else empty. */
    record Lv(String name, String vg, String attr, String sizeBytes, String pool) {

        boolean isThinPool() {
            return attr.startsWith("t");
        }

        /** Pools (thin, cache, VDO) hold other volumes' data and have no device node of their own to use. */
        boolean isPool() {
            return !attr.isEmpty() && "tCd".indexOf(attr.charAt(0)) >= 0;
        }

        /** The fifth attribute character is the state; only an active volume has a device node. */
        boolean isActive() {
            return attr.length() > 4 && attr.charAt(4) == 'a';
        }
    }

    static LvmReport read(RemoteShell shell) throws RemoteFailure {
        return new LvmReport(pvs(shell), vgs(shell), lvs(shell));
    }

    /**
     * The PVs with their nodes, resolved in one more command. A name that is no /dev path (pvs prints
     * {@code [unknown]} for a missing PV) stays as it is: it is no device Ballast could be given.
     */
    static List<Pv> pvs(RemoteShell shell) throws RemoteFailure {
        List<Pv> listed = rows(shell, Command.of("pvs", "--reportformat", "json", "-o", "pv_name,vg_name"), "pv",
                row -> new Pv(text(row, "pv_name"), text(row, "pv_name"), text(row, "vg_name")));
        Map<RemotePath, RemotePath> nodes = DeviceNodes.resolve(shell,
                listed.stream().map(pv -> devicePath(pv.name())).flatMap(Optional::stream).distinct().toList());
        return listed.stream().map(pv -> devicePath(pv.name()).map(nodes::get)
                .map(node -> new Pv(pv.name(), node.path(), pv.vg())).orElse(pv)).toList();
    }

    private static Optional<RemotePath> devicePath(String name) {
        try {
            return Optional.of(RemotePath.of(name)).filter(path -> path.path().startsWith("/dev/"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static List<Vg> vgs(RemoteShell shell) throws RemoteFailure {
        return rows(shell, Command.of("vgs", "--reportformat", "json", "-o", "vg_name,pv_count,lv_count"), "vg",
                row -> new Vg(text(row, "vg_name"), Integer.parseInt(text(row, "pv_count")),
                        Integer.parseInt(text(row, "lv_count"))));
    }

    static List<Lv> lvs(RemoteShell shell) throws RemoteFailure {
        return rows(shell, Command.of("lvs", "--reportformat", "json", "-o", "lv_name,vg_name,lv_attr,lv_size,pool_lv",
                "--units", "b", "--nosuffix"), "lv",
                row -> new Lv(text(row, "lv_name"), text(row, "vg_name"), text(row, "lv_attr"), text(row, "lv_size"),
                        text(row, "pool_lv")));
    }

    /** The PV on the device node {@code node}, whatever name pvs gives it. */
    Optional<Pv> pv(String node) {
        return pvs.stream().filter(pv -> pv.node().equals(node)).findFirst();
    }

    Optional<Vg> vg(VolumeGroup group) {
        return vgs.stream().filter(vg -> vg.name().equals(group.name())).findFirst();
    }

    /** The device nodes of the group's physical volumes. */
    List<String> devicesOf(VolumeGroup group) {
        return pvs.stream().filter(pv -> pv.vg().equals(group.name())).map(Pv::node).toList();
    }

    List<Lv> volumesOf(VolumeGroup group) {
        return volumesOf(lvs, group);
    }

    static List<Lv> volumesOf(List<Lv> lvs, VolumeGroup group) {
        return lvs.stream().filter(lv -> lv.vg().equals(group.name())).toList();
    }

    /**
     * The /dev/VG/LV links of the group's disks: thin, cache and VDO pools are not disks, and an inactive
     * volume has no node. Each link points to the volume's /dev/dm-N node.
     */
    static List<RemotePath> nodeLinks(RemoteShell shell, VolumeGroup group) throws RemoteFailure {
        return volumesOf(lvs(shell), group).stream().filter(lv -> !lv.isPool() && lv.isActive())
                .map(lv -> RemotePath.of(group.devDirectory().path() + "/" + lv.name())).toList();
    }

    Optional<Lv> lv(VolumeGroup group, LogicalVolume volume) {
        return volumesOf(group).stream().filter(lv -> lv.name().equals(volume.name())).findFirst();
    }

    /** The thin volumes that live in the pool: what removing the pool would destroy. */
    List<String> thinVolumesIn(VolumeGroup group, LogicalVolume pool) {
        return volumesOf(group).stream().filter(lv -> lv.pool().equals(pool.name())).map(Lv::name).toList();
    }

    /** The rows of the one report a pvs, vgs or lvs prints; any other shape is a failure, not an empty list. */
    private static <T> List<T> rows(RemoteShell shell, Command command, String section, Function<JsonNode, T> row)
            throws RemoteFailure {
        CommandResult result = shell.check(command);
        if (result.truncated()) {
            throw RemoteFailure.commandFailed(result, "'" + result.command() + "' printed more than the output cap allows");
        }
        try {
            JsonNode rows = JSON.readTree(result.stdout()).path("report").path(0).path(section);
            if (!rows.isArray()) {
                throw new IllegalArgumentException("no " + section + " report");
            }
            List<T> list = new ArrayList<>();
            rows.forEach(node -> list.add(row.apply(node)));
            return list;
        } catch (JsonProcessingException e) {
            throw RemoteFailure.commandFailed(result, "'" + result.command() + "' printed no JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw RemoteFailure.commandFailed(result, "'" + result.command() + "' printed an unexpected report: "
                    + e.getMessage());
        }
    }

    /** A field LVM must have printed, since the command asked for it. */
    private static String text(JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("a row without the string field " + field);
        }
        return value.asText();
    }
}
