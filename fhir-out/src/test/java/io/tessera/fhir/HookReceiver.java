package io.tessera.fhir;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A rest-hook receiver for tests: Jetty on 127.0.0.1, a free port (or the one given, to come back on the same port),
 * recording each request and answering {@link #answer} (200 unless a test says otherwise).
 */
public final class HookReceiver implements AutoCloseable {
    /** One received notification. */
    public record Received(String method, String path, String authorization, String contentType, String body) {}

    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final AtomicInteger answer = new AtomicInteger(200);
    private final Server jetty = new Server();
    private final ServerConnector connector;

    public HookReceiver(int port) throws Exception {
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                received.add(new Received(req.getMethod(), req.getRequestURI(), req.getHeader("Authorization"),
                        req.getContentType(), new String(req.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
                resp.setStatus(answer.get());
            }
        }), "/*");
        jetty.setHandler(context);
        jetty.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
