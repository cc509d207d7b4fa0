package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/**
 * An absolute path on a host. Built by Ballast's own code from validated parts; the pattern still
 * refuses anything a shell or {@code ..} could turn into another path.
 */
public record RemotePath(String path) implements RemoteArg {

    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_+:.@-]+)+");

    public RemotePath {
        Values.matching("path", path, PATH, "an absolute path of letters, digits and _+:.@-");
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./") || path.endsWith("/.")) {
            throw new IllegalArgumentException("'" + path + "' is not a valid path: it must not contain . or .. parts");
        }
    }

    public static RemotePath of(String path) {
        return new RemotePath(path);
    }

    @Override
    public String arg() {
        return path;
    }

    @Override
    public String toString() {
        return path;
    }
}
