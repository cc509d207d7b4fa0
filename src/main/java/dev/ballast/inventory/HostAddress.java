package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import dev.ballast.problem.InvalidInputException;

/**
 * Where Ballast reaches a host: a DNS name, an IPv4 address or an IPv6 address (without brackets).
 * Never resolved here: resolution happens when a connection is made.
 */
public record HostAddress(String value) {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)(?![\\d.]+$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public HostAddress {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("is required");
        }
        // All-numeric strings are excluded from DNS names: they are malformed IPv4 addresses.
        if (!IPV4.matcher(value).matches() && !isIpv6(value) && !DNS_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(Check.quoted(value) + " is not a host name, IPv4 or IPv6 address");
        }
    }

    public static HostAddress parse(String field, String raw) {
        return InvalidInputException.forField(field, () -> new HostAddress(raw));
    }

    private static boolean isIpv6(String raw) {
        if (!raw.contains(":") || !IPV6_CHARS.matcher(raw).matches()) {
            return false;
        }
        try {
            // A literal containing ':' is parsed, never looked up in DNS.
            return InetAddress.getByName(raw).getAddress().length == 16;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
