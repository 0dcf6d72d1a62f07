package dev.strata.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 (a free port picked by the OS) in front of a server on 127.0.0.1, that
 * can simulate a network partition: after {@link #blackhole()} nothing is forwarded either way on
 * the connections open at that moment (what they send is read and dropped, like lost packets) while
 * every socket stays open, so neither end sees a reset or an end of stream. Connections accepted
 * after {@link #heal()} work again; the partitioned ones stay dead until {@link #dropPartitioned()}
 * closes them (what a peer's TCP keepalive or user timeout eventually does).
 */
public final class BlackholeProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean blackholed;

    /** Starts forwarding 127.0.0.1:{@link #port()} to 127.0.0.1:upstreamPort. */
    public BlackholeProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "blackhole-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port the proxy listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Partitions every open connection, and any accepted until {@link #heal()}. */
    public void blackhole() {
        blackholed = true;
        links.forEach(link -> link.partitioned = true);
    }

    /** New connections are forwarded again. */
    public void heal() {
        blackholed = false;
    }

    /** Closes the partitioned connections, both sides, as a peer's keepalive finally would. */
    public void dropPartitioned() {
        links.stream().filter(link -> link.partitioned).forEach(Link::close);
    }

    /** How many connections are partitioned and still open. */
    public long partitionedOpen() {
        return links.stream().filter(link -> link.partitioned && !link.closed).count();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
                Link link = new Link(client, server);
                link.partitioned = blackholed;
                links.add(link);
                link.start();
            } catch (IOException e) {
                // the listener was closed, or the upstream refused: the client sees its socket close
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::close);
    }

    private static final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean partitioned;
        private volatile boolean closed;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "blackhole-proxy-up");
            pump(server, client, "blackhole-proxy-down");
        }

        private void pump(Socket from, Socket to, String name) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16384];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (!partitioned) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side closed
                }
                if (!partitioned) {
                    close();
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            closed = true;
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
