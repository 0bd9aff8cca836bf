package org.opendelegate.manager.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw HTTP/1.1 client over loopback that writes a request at whatever pace a test wants: a few bytes,
 * then one byte every so often (in its own daemon thread, bounded in count), as an attacker would.
 */
final class SlowClient implements AutoCloseable {
    private final Socket socket;
    private volatile Thread trickler;

    /** Connects from {@code from} (any 127.x address) to the Manager at {@code url}. */
    SlowClient(String url, String from) {
        try {
            URI uri = URI.create(url);
            socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            // Generous: a test waits for the Manager's verdict, never for a fixed time.
            socket.setSoTimeout(60_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SlowClient(String url) {
        this(url, "127.0.0.1");
    }

    SlowClient send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Sends the headers of a request that declares a body of {@code length} bytes. */
    SlowClient postHeaders(String path, String contentType, int length, String... moreHeaders) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        request.append("Content-Type: ").append(contentType).append("\r\n");
        request.append("Content-Length: ").append(length).append("\r\n");
        for (String header : moreHeaders) {
            request.append(header).append("\r\n");
        }
        return send(request.append("\r\n").toString());
    }

    /** Sends {@code count} bytes of {@code text}, one every {@code every}, in the background. */
    SlowClient trickle(String text, int count, Duration every) {
        Thread t = new Thread(
                () -> {
                    for (int i = 0; i < count; i++) {
                        try {
                            Thread.sleep(every.toMillis());
                            send(String.valueOf(text.charAt(i % text.length())));
                        } catch (InterruptedException | UncheckedIOException e) {
                            return;
                        }
                    }
                },
                "slow-client");
        t.setDaemon(true);
        t.start();
        trickler = t;
        return this;
    }

    /** The status line of the answer, or "closed" when the Manager closed the connection without one. */
    String statusLine() {
        String answer = answer();
        int end = answer.indexOf("\r\n");
        return answer.isEmpty() ? "closed" : end < 0 ? answer : answer.substring(0, end);
    }

    /** Everything the Manager sends until it closes the connection (or the answer is complete). */
    String answer() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (complete(out.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // a reset counts as closed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean complete(String answer) {
        int headersEnd = answer.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        String headers = answer.substring(0, headersEnd).toLowerCase(java.util.Locale.ROOT);
        int at = headers.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int lineEnd = headers.indexOf("\r\n", at);
        String value = headers.substring(at + 15, lineEnd < 0 ? headers.length() : lineEnd)
                .trim();
        return answer.length() - headersEnd - 4 >= Integer.parseInt(value);
    }

    @Override
    public void close() {
        Thread t = trickler;
        if (t != null) {
            t.interrupt();
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket
        }
    }
}
