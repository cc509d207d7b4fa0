package dev.ballast.api;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A body of exactly {@code size} bytes made on the fly: a prefix, then one character again and again,
 * with a newline every 64 bytes when asked ({@code #} lines are comments in every inventory format).
 * Sent with {@code BodyPublishers.ofInputStream} it goes chunked: a stream has no length to declare.
 */
final class Filler extends InputStream {

    private final byte[] prefix;
    private final byte fill;
    private final boolean lines;
    private long left;
    private long at;

    Filler(String prefix, char fill, boolean lines, long size) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.fill = (byte) fill;
        this.lines = lines;
        this.left = size;
    }

    /** Comment lines of an inventory or YAML document. */
    static Filler comments(long size) {
        return new Filler("", '#', true, size);
    }

    @Override
    public int read() {
        if (left <= 0) {
            return -1;
        }
        left--;
        long i = at++;
        if (i < prefix.length) {
            return prefix[(int) i];
        }
        return lines && i % 64 == 63 ? '\n' : fill;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (left <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) read();
        }
        return n;
    }
}
