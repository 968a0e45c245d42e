package io.tessera.config;

import java.net.URI;

/** Whether an address stays on this machine: only then may a port answer without authentication or TLS. */
final class Loopback {
    private Loopback() {}

    static boolean isLoopback(String host) {
        if (host == null) return false;
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    static boolean isLoopbackUrl(String url) {
        try {
            URI u = URI.create(url.trim());
            return "http".equalsIgnoreCase(u.getScheme()) && isLoopback(u.getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
