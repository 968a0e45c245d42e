package io.tessera.app;

import io.tessera.config.HttpConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of every servlet: what a request must be before any servlet reads it. Answers, with a JSON
 * {@code {"error": "TSR-08xx: …"}}:
 * <ul>
 *   <li>{@code 421} when the {@code Host} is not one of {@code http.allowedHosts} (DNS rebinding: a web page whose name
 *       now points at this machine still sends its own name), {@code 400} without a {@code Host};</li>
 *   <li>{@code 405} for any method but GET, HEAD and POST (OPTIONS too when CORS origins are configured): no TRACE;</li>
 *   <li>{@code 413} for a request whose {@code Content-Length} is over {@code http.maxRequestBytes}, before its body is read
 *       (a chunked body is cut at the limit by the {@link org.eclipse.jetty.server.handler.SizeLimitHandler} behind this);</li>
 *   <li>{@code 415} for a POST whose content type the path does not take: {@code application/json} for
 *       {@code /api/reports}, the FHIR JSON and XML types for {@code /fhir}, {@code application/json} or none (empty
 *       body) elsewhere; so an HTML form ({@code text/plain}, form-encoded, multipart) can never post, except the console's
 *       own form-encoded forms to {@code /login}, {@code /logout} and {@code /console/...};</li>
 *   <li>{@code 403} for a POST from a browser page of another origin (its {@code Origin} is neither an allowed host nor one
 *       of {@code http.corsOrigins}).</li>
 * </ul>
 * This is not authentication: it keeps other web pages and oversized requests away from the API.
 */
final class HttpGuard extends Handler.Wrapper {
    private static final Set<String> FHIR_TYPES = Set.of("application/fhir+json", "application/json", "application/json+fhir",
            "application/fhir+xml", "application/xml", "application/xml+fhir");
    private final long maxRequestBytes;
    private final List<String> configuredHosts;
    private final String bindAddress;
    private final IntSupplier port;
    private final Set<String> corsOrigins = new HashSet<>();
    private final boolean cors;
    private volatile Set<String> hostsWithPort;
    private volatile Set<String> hostsAnyPort;

    HttpGuard(HttpConfig config, IntSupplier port, Handler next) {
        super(next);
        this.maxRequestBytes = config.maxRequestBytes();
        this.configuredHosts = config.allowedHosts();
        this.bindAddress = config.bindAddress();
        this.port = port;
        config.corsOrigins().forEach(o -> corsOrigins.add(o.toLowerCase(Locale.ROOT).replaceAll("/+$", "")));
        this.cors = !corsOrigins.isEmpty();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || host.isBlank()) return reject(response, callback, 400, "TSR-0801: the request has no Host header");
        if (!hostAllowed(host)) {
            return reject(response, callback, 421, "TSR-0801: this server does not answer for host '" + host
                    + "' (http.allowedHosts)");
        }
        long length = request.getLength();
        if (length > maxRequestBytes) {
            return reject(response, callback, 413, "TSR-0803: the request body (" + length + " bytes) is larger than "
                    + maxRequestBytes + " bytes (http.maxRequestBytes)");
        }
        String method = request.getMethod();
        boolean post = "POST".equals(method);
        if (!post && !"GET".equals(method) && !"HEAD".equals(method) && !(cors && "OPTIONS".equals(method))) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
            return reject(response, callback, 405, "TSR-0802: method " + method + " is not served");
        }
        if (post) {
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            if (origin != null && !originAllowed(origin)) {
                return reject(response, callback, 403, "TSR-0805: a POST from origin '" + origin + "' is refused (http.corsOrigins)");
            }
            String problem = contentTypeProblem(Request.getPathInContext(request), request.getHeaders().get(HttpHeader.CONTENT_TYPE), length);
            if (problem != null) return reject(response, callback, 415, problem);
            if (length < 0) return chunked(request, response, callback);
        }
        return super.handle(request, response, callback);
    }

    /**
     * A body without a length: the {@link org.eclipse.jetty.server.handler.SizeLimitHandler} behind fails its read at the
     * limit, and a servlet may turn that failure into a status of its own (HAPI answers 500); the answer is 413 whatever
     * the servlet sets once more than the limit came in.
     */
    private boolean chunked(Request request, Response response, Callback callback) throws Exception {
        AtomicBoolean over = new AtomicBoolean();
        Request counted = new Request.Wrapper(request) {
            private long seen;

            @Override
            public Content.Chunk read() {
                Content.Chunk chunk = super.read();
                if (chunk != null && !Content.Chunk.isFailure(chunk)) {
                    seen += chunk.remaining();
                    if (seen > maxRequestBytes) over.set(true);
                }
                return chunk;
            }
        };
        Response answered = new Response.Wrapper(counted, response) {
            @Override
            public void setStatus(int code) {
                super.setStatus(over.get() ? 413 : code);
            }
        };
        return super.handle(counted, answered, callback);
    }

    /** Null when {@code path} takes a POST of this content type; otherwise the reason. */
    static String contentTypeProblem(String path, String contentType, long length) {
        String type = contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (path.equals("/fhir") || path.startsWith("/fhir/")) {
            if (type != null && FHIR_TYPES.contains(type)) return null;
            return "TSR-0804: POST " + path + " takes application/fhir+json, application/json or application/fhir+xml, not "
                    + (type == null ? "a body without a content type" : type);
        }
        if (path.equals("/api/reports") || path.startsWith("/api/reports/")) {
            if ("application/json".equals(type)) return null;
            return "TSR-0804: POST " + path + " takes application/json, not " + (type == null ? "a body without a content type" : type);
        }
        // the console's own forms (each checked for its CSRF token by the access filter)
        boolean consoleForm = path.equals("/login") || path.equals("/logout") || path.startsWith("/console/");
        if (consoleForm && "application/x-www-form-urlencoded".equals(type)) return null;
        if ("application/json".equals(type) || (type == null && length == 0)) return null;
        return "TSR-0804: POST " + path + " takes application/json or no body, not "
                + (type == null ? "a body without a content type" : type);
    }

    private boolean hostAllowed(String authority) {
        if (hostsWithPort == null) computeHosts();
        String a = authority.trim().toLowerCase(Locale.ROOT);
        if (hostsWithPort.contains(a)) return true;
        String name = a;
        int close = a.lastIndexOf(']');
        int colon = a.lastIndexOf(':');
        if (colon > close && (a.startsWith("[") || a.indexOf(':') == colon)) name = a.substring(0, colon);
        return hostsAnyPort.contains(name);
    }

    private boolean originAllowed(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (corsOrigins.contains(o)) return true;
        try {
            URI u = URI.create(o);
            return u.getRawAuthority() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    && hostAllowed(u.getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false; // "null" and other opaque origins
        }
    }

    /** Configured entries as given ({@code name}: any port); none configured: the local names on our port. */
    private synchronized void computeHosts() {
        Set<String> withPort = new HashSet<>(), anyPort = new HashSet<>();
        if (configuredHosts.isEmpty()) {
            int p = port.getAsInt();
            String bind = bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
            for (String h : List.of(bind, "localhost", "127.0.0.1", "[::1]")) {
                withPort.add(h.toLowerCase(Locale.ROOT) + ":" + p);
                if (p == 80) withPort.add(h.toLowerCase(Locale.ROOT));
            }
        } else {
            for (String h : configuredHosts) {
                String e = h.trim().toLowerCase(Locale.ROOT);
                int close = e.lastIndexOf(']');
                int colon = e.lastIndexOf(':');
                boolean hasPort = colon > close && (e.startsWith("[") || e.indexOf(':') == colon);
                (hasPort ? withPort : anyPort).add(e);
            }
        }
        hostsAnyPort = anyPort;
        hostsWithPort = withPort;
    }

    private static boolean reject(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] json;
        try {
            json = JsonServlet.JSON.writeValueAsBytes(java.util.Map.of("error", message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            json = "{}".getBytes(StandardCharsets.UTF_8);
        }
        response.write(true, ByteBuffer.wrap(json), callback);
        return true;
    }
}
