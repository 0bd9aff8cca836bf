package org.opendelegate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolVersion;

/**
 * The heartbeats and long polls of many registered delegates, on one thread with non-blocking sockets: what the
 * scale bench needs from its simulated fleet, at a fraction of the JDK HTTP client's cost per call. With that
 * client, 15,000–20,000 simulated delegates saturated the simulator's core before the Manager's, so the bench
 * measured itself.
 *
 * <p>Each delegate keeps one connection for its long poll (sent again as soon as it is answered) and heartbeats
 * every period with ±10 % jitter over a shared pool of keep-alive connections, as an HTTP client's pool would;
 * every request is the delegate's real call with its session credential, built once as bytes. A heartbeat's
 * latency runs from its first byte sent to the last byte of its answer. A heartbeat that is refused (not 2xx) or
 * whose connection is lost counts as failed; a lost poll is sent again on a new connection.
 */
final class RawDelegateFleet implements Runnable {
    /** A registered delegate: the two calls it repeats. */
    record Member(byte[] heartbeat, byte[] poll) {}

    private final InetSocketAddress address;
    private final LatencyRecorder heartbeats;
    private final long heartbeatNanos;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Member> joining = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Due> schedule = new PriorityQueue<>();
    private final ArrayDeque<Connection> idleHeartbeatConnections = new ArrayDeque<>();
    private final AtomicInteger members = new AtomicInteger();
    /** Polls refused (by status) or cut ("lost"), each sent again a second later. */
    private final java.util.Map<String, AtomicInteger> pollsRefused =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

    /** What is due when: a delegate's next heartbeat, or a poll sent again a second after it was refused. */
    private record Due(long atNanos, Member member, boolean poll) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            return Long.compare(atNanos, other.atNanos);
        }
    }

    /** One keep-alive connection; it carries one request at a time. */
    private final class Connection {
        final SocketChannel channel;
        final boolean forPoll;
        Member member; // the poll's delegate, or the heartbeat's while one is in flight
        ByteBuffer pending; // the part of the request not yet written
        byte[] answer = new byte[512];
        int answerLength;
        long sentAtNanos;
        boolean inFlight;

        Connection(boolean forPoll) throws IOException {
            this.forPoll = forPoll;
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            channel.register(selector, SelectionKey.OP_CONNECT, this);
        }
    }

    RawDelegateFleet(String managerUrl, LatencyRecorder heartbeats, long heartbeatMillis) throws IOException {
        URI uri = URI.create(managerUrl);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.heartbeats = heartbeats;
        this.heartbeatNanos = heartbeatMillis * 1_000_000L;
        this.selector = Selector.open();
    }

    /** The heartbeat and poll requests of a registered delegate, as it would send them. */
    static Member member(String managerUrl, String accountId, String delegateId, String sessionId, String token) {
        String host = URI.create(managerUrl).getAuthority();
        String ids = "\"delegateId\":\"" + delegateId + "\",\"sessionId\":\"" + sessionId + "\"";
        return new Member(
                request(host, DelegateApiPaths.HEARTBEAT, accountId, token, "{" + ids + ",\"runningTaskIds\":[]}"),
                request(host, DelegateApiPaths.POLL, accountId, token, "{" + ids + ",\"freeSlots\":4}"));
    }

    private static byte[] request(String host, String path, String accountId, String token, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token + "\r\n"
                + DelegateApiPaths.ACCOUNT_HEADER + ": " + accountId + "\r\n" + ProtocolVersion.HEADER + ": "
                + ProtocolVersion.CURRENT + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** Adds a delegate: its first heartbeat at a random point of the period, its poll at once. */
    void join(Member member) {
        joining.add(member);
        members.incrementAndGet();
        selector.wakeup();
    }

    int size() {
        return members.get();
    }

    /** Polls refused, by status, or whose connection was lost ("lost"), and sent again: so far. */
    String pollsRefused() {
        return pollsRefused.toString();
    }

    @Override
    public void run() {
        try {
            while (true) {
                long now = System.nanoTime();
                for (Member m; (m = joining.poll()) != null; ) {
                    schedule.add(new Due(now + ThreadLocalRandom.current().nextLong(heartbeatNanos), m, false));
                    poll(m);
                }
                while (!schedule.isEmpty() && schedule.peek().atNanos() <= now) {
                    Due due = schedule.poll();
                    if (due.poll()) {
                        poll(due.member());
                    } else {
                        heartbeat(due.member());
                    }
                }
                long waitMillis =
                        schedule.isEmpty() ? 1000 : Math.max(1, (schedule.peek().atNanos() - now) / 1_000_000L);
                selector.select(waitMillis);
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    ready(key, (Connection) key.attachment());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends a delegate's poll on a new connection of its own. */
    private void poll(Member member) throws IOException {
        Connection c = new Connection(true);
        c.member = member;
        send(c, member.poll());
    }

    private void heartbeat(Member member) throws IOException {
        Connection c = idleHeartbeatConnections.pollFirst();
        if (c == null) {
            c = new Connection(false);
        }
        c.member = member;
        send(c, member.heartbeat());
        long period = (long)
                (heartbeatNanos * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
        schedule.add(new Due(System.nanoTime() + period, member, false));
    }

    private void send(Connection c, byte[] request) throws IOException {
        c.inFlight = true;
        c.answerLength = 0;
        c.sentAtNanos = System.nanoTime();
        c.pending = ByteBuffer.wrap(request);
        if (c.channel.isConnected()) {
            write(c);
        }
    }

    private void write(Connection c) throws IOException {
        c.channel.write(c.pending);
        SelectionKey key = c.channel.keyFor(selector);
        key.interestOps(c.pending.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void ready(SelectionKey key, Connection c) throws IOException {
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                if (c.pending != null && c.pending.hasRemaining()) {
                    write(c);
                }
                return;
            }
            if (key.isWritable()) {
                write(c);
                return;
            }
            if (key.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            lost(c);
        }
    }

    private void read(Connection c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            lost(c);
            return;
        }
        readBuffer.flip();
        if (c.answerLength + n > c.answer.length) {
            c.answer = java.util.Arrays.copyOf(c.answer, Math.max(c.answer.length * 2, c.answerLength + n));
        }
        readBuffer.get(c.answer, c.answerLength, n);
        c.answerLength += n;
        int status = HttpAnswer.completeStatus(c.answer, c.answerLength);
        if (status == 0) {
            return; // not all of it yet
        }
        c.inFlight = false;
        Member member = c.member;
        if (c.forPoll) {
            if (status / 100 == 2) {
                send(c, member.poll());
            } else {
                pollAgainLater(c, String.valueOf(status));
            }
        } else {
            if (status / 100 == 2) {
                heartbeats.record(System.nanoTime() - c.sentAtNanos);
            } else {
                heartbeats.failed();
            }
            c.member = null;
            idleHeartbeatConnections.addLast(c);
        }
    }

    /** The Manager closed the connection, or it failed: a heartbeat in flight failed; a poll is sent again. */
    private void lost(Connection c) throws IOException {
        c.channel.keyFor(selector).cancel();
        c.channel.close();
        idleHeartbeatConnections.remove(c);
        if (!c.inFlight) {
            return; // an idle keep-alive connection the Manager closed
        }
        if (c.forPoll) {
            pollAgainLater(c, "lost");
        } else {
            heartbeats.failed();
        }
    }

    /** A poll refused or cut: sent again a second later, on a new connection, as a real delegate backs off. */
    private void pollAgainLater(Connection c, String why) throws IOException {
        pollsRefused.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
        if (c.channel.isOpen()) {
            c.channel.keyFor(selector).cancel();
            c.channel.close();
        }
        schedule.add(new Due(System.nanoTime() + 1_000_000_000L, c.member, true));
    }

    /** Reading an HTTP/1.1 answer as it arrives: whether it is complete, and its status. */
    static final class HttpAnswer {
        private HttpAnswer() {}

        /** The status of the answer in {@code bytes[0, length)} once all of it is there, else 0. */
        static int completeStatus(byte[] bytes, int length) {
            int headEnd = indexOf(bytes, length, 0, "\r\n\r\n");
            if (headEnd < 0) {
                return 0;
            }
            int status = Integer.parseInt(new String(bytes, 9, 3, StandardCharsets.US_ASCII));
            String head = new String(bytes, 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            int bodyStart = headEnd + 4;
            int lengthAt = head.indexOf("\r\ncontent-length:");
            if (lengthAt >= 0) {
                int valueEnd = head.indexOf("\r\n", lengthAt + 2);
                String value = head.substring(lengthAt + 17, valueEnd < 0 ? head.length() : valueEnd)
                        .trim();
                return length >= bodyStart + Integer.parseInt(value) ? status : 0;
            }
            if (!head.contains("\r\ntransfer-encoding: chunked")) {
                return status; // no body
            }
            int at = bodyStart;
            while (true) {
                int sizeEnd = indexOf(bytes, length, at, "\r\n");
                if (sizeEnd < 0) {
                    return 0;
                }
                String size = new String(bytes, at, sizeEnd - at, StandardCharsets.US_ASCII);
                int semicolon = size.indexOf(';');
                int chunk = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                at = sizeEnd + 2 + chunk + 2; // the chunk and its CRLF; the last chunk's CRLF ends the answer
                if (chunk == 0) {
                    return length >= at ? status : 0;
                }
                if (length < at) {
                    return 0;
                }
            }
        }

        private static int indexOf(byte[] bytes, int length, int from, String ascii) {
            outer:
            for (int i = from; i <= length - ascii.length(); i++) {
                for (int j = 0; j < ascii.length(); j++) {
                    if (bytes[i + j] != ascii.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
