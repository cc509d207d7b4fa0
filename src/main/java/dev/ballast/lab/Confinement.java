package dev.ballast.lab;

/** What a host's mandatory access control says when QEMU opens a guest's disks at start: virsh start's error, or null. */
interface Confinement {

    String start(String uuid, LibvirtXml.Element root);
}
