package io.tessera.app;

import io.tessera.config.HttpConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.SslConnectionFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * Jetty on the configured address, over TLS when configured ({@link Https}), serving the servlets it is given by path
 * spec behind the {@link HttpGuard} (host allow-list, methods, body size and content types) and the access filter
 * (who calls, with which scopes; audited), without a {@code Server} or {@code X-Powered-By} header, and with
 * CORS only for the configured origins.
 */
final class HttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;

    HttpServer(HttpConfig config, Map<String, HttpServlet> servlets, Filter access) {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        tls = config.tls().enabled();
        if (tls) {
            http.addCustomizer(Https.requestCustomizer(config.tls()));
            connector = new ServerConnector(server, new SslConnectionFactory(Https.contextFactory(config.tls()), "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (access != null) context.addFilter(new FilterHolder(access), "/*", EnumSet.of(DispatcherType.REQUEST));
        new LinkedHashMap<>(servlets).forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        // A chunked body has no Content-Length for the guard to check: this cuts it off at the limit (413).
        SizeLimitHandler limit = new SizeLimitHandler(config.maxRequestBytes(), -1);
        limit.setHandler(context);
        Handler inner = limit;
        if (!config.corsOrigins().isEmpty()) {
            CrossOriginHandler cors = new CrossOriginHandler();
            cors.setAllowedOriginPatterns(new java.util.HashSet<>(config.corsOrigins().stream()
                    .map(o -> java.util.regex.Pattern.quote(o.replaceAll("/+$", ""))).toList()));
            cors.setAllowedMethods(java.util.Set.of("GET", "HEAD", "POST"));
            cors.setHandler(inner);
            inner = cors;
        }
        server.setHandler(new HttpGuard(config, this::port, inner));
    }

    void start() throws Exception {
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** The Jetty server, for its metrics. */
    Server jetty() {
        return server;
    }

    String baseUrl() {
        return (tls ? "https://" : "http://") + new InetSocketAddress(connector.getHost(), port()).getHostString() + ":" + port();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
