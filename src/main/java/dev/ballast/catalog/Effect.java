package dev.ballast.catalog;

/** When a step's change starts to act on the system. */
public enum Effect {
    /** As soon as apply returns. */
    IMMEDIATE,
    /** When the libvirt domain is next started from shut off (a guest reboot is not enough). */
    NEXT_DOMAIN_COLD_START,
    /** When the host next boots. */
    NEXT_HOST_REBOOT
}
