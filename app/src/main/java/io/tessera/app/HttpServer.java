package io.tessera.app;

import jakarta.servlet.http.HttpServlet;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Jetty on the configured address, serving the servlets it is given by path spec. */
final class HttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    HttpServer(String bindAddress, int port, Map<String, HttpServlet> servlets) {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(bindAddress);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        new LinkedHashMap<>(servlets).forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        server.setHandler(context);
    }

    void start() throws Exception {
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    String baseUrl() {
        return "http://" + new InetSocketAddress(connector.getHost(), port()).getHostString() + ":" + port();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
