package dev.ballast.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 over a plain socket, for what no HTTP client sends: a body that trickles in or stops, a length
 * nobody can parse. Every wait has a timeout, so a server that never answers fails the case, not the run.
 */
final class RawHttp {

    /** What came back: a status, or {@link HostileCases#CLOSED} when the connection ended without one. */
    record Answer(int status, String contentType, String body) {
    }

    /** How the body goes out after the request head. */
    record Body(byte[] first, byte[] tick, Duration every) {
        /** All at once. */
        static Body whole(String text) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), null, null);
        }

        /** {@code first}, then {@code tick} again and again at the given pace, until the server gives up. */
        static Body trickle(String first, String tick, Duration every) {
            return new Body(first.getBytes(StandardCharsets.UTF_8), tick.getBytes(StandardCharsets.UTF_8), every);
        }

        /** {@code first}, then nothing more. */
        static Body stall(String first) {
            return new Body(first.getBytes(StandardCharsets.UTF_8), new byte[0], Duration.ofMillis(250));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, without the blank line), then the body; waits at most {@code patience}. */
    static Answer exchange(URL base, String head, Body body, Duration patience) throws IOException, InterruptedException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) patience.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((head + "\r\nHost: " + base.getHost() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body.first());
            out.flush();
            long deadline = System.nanoTime() + patience.toNanos();
            while (body.tick() != null && in.available() == 0 && System.nanoTime() < deadline) {
                try {
                    out.write(body.tick());
                    out.flush();
                } catch (SocketException closed) {
                    break;
                }
                Thread.sleep(body.every().toMillis());
            }
            return parse(readAll(in));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0;) {
                answer.write(buffer, 0, n);
                if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketException | SocketTimeoutException ended) {
            // a reset or no more: what arrived is the answer
        }
        return answer.toByteArray();
    }

    /** An answer with a Content-Length is complete once that many bytes follow its head. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String length = header(text.substring(0, end), "content-length");
        return length != null && text.length() - end - 4 >= Integer.parseInt(length.trim());
    }

    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/")) {
            return new Answer(HostileCases.CLOSED, null, text);
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        return new Answer(status, header(head, "content-type"), end < 0 ? "" : text.substring(end + 4));
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
