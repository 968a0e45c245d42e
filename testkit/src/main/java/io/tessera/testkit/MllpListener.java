package io.tessera.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain MLLP listener (a RIS or EHR) for tests on 127.0.0.1, a free port: reads each framed message, keeps it, and answers an
 * original-mode ACK with {@link #ackCode} (AA unless a test sets AE or AR, then with an ERR segment and a reason).
 */
public final class MllpListener implements AutoCloseable {
    public final List<String> received = new CopyOnWriteArrayList<>();
    public volatile String ackCode = "AA";
    private final ServerSocket server;
    private final Thread thread;

    public MllpListener() throws IOException {
        this(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
    }

    /** On a server socket the test made (e.g. a TLS one from an {@code SSLServerSocketFactory}). */
    public MllpListener(ServerSocket server) {
        this.server = server;
        thread = new Thread(this::serve, "mllp-test-listener");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                String msg = read(s.getInputStream());
                if (msg == null) continue;
                received.add(msg);
                String control = field(msg, 10);
                String code = ackCode;
                String ack = "MSH|^~\\&|RIS|HOSP|TESSERA||20240315120000||ACK^R01^ACK|A" + received.size() + "|P|2.5.1\r"
                        + "MSA|" + code + "|" + control + (code.equals("AA") ? "" : "|Unknown order") + "\r"
                        + (code.equals("AA") ? "" : "ERR|||204^Unknown key identifier^HL70357|E||||Unknown order\r");
                s.getOutputStream().write(("\u000b" + ack + "\u001c\r").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // closed by the test, or a client gone: the next accept decides
            }
        }
    }

    private static String read(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != 0x0B) if (b < 0) return null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while ((b = in.read()) != 0x1C) {
            if (b < 0) return null;
            body.write(b);
        }
        in.read(); // the trailing CR
        return body.toString(StandardCharsets.UTF_8);
    }

    /** MSH-n of a message (MSH-1 is the field separator itself). */
    public static String field(String msg, int n) {
        String[] f = msg.substring(0, msg.indexOf('\r')).split("\\|", -1);
        return n - 1 < f.length ? f[n - 1] : "";
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5000);
    }
}
