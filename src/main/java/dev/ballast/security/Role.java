package dev.ballast.security;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a user or token may do. Each role includes the ones below it: an operator can also view, an admin
 * can also operate. The names are the values of {@code @RolesAllowed}.
 */
public enum Role {
    /** Reads everything except secrets. */
    VIEWER,
    /** Starts, approves, pauses, cancels and rolls back; saves plans; runs sweeps. */
    OPERATOR,
    /** Inventory, SSH identities and host keys, users and tokens. */
    ADMIN;

    public static final String VIEWER_NAME = "viewer";
    public static final String OPERATOR_NAME = "operator";
    public static final String ADMIN_NAME = "admin";

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** This role and every role below it, as {@code @RolesAllowed} checks them. */
    public Set<String> granted() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Role::id).collect(Collectors.toSet());
    }

    public static Role parse(String text) {
        return Arrays.stream(values()).filter(r -> r.id().equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a role: one of viewer, operator, admin"));
    }
}
