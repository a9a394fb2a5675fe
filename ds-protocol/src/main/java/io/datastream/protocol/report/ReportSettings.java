package io.datastream.protocol.report;

import java.net.URI;

/**
 * Where and how often a component pushes its minute reports (the {@code reports.*} keys of the
 * agent, router and sink configurations).
 *
 * @param controlUrl    control's base URL ({@code http://host:7400}); null = reports off
 * @param token         bearer token with control's write role; empty = none
 * @param intervalMs    how often changed minutes are pushed
 * @param windowMinutes minutes kept for re-sending; a minute still unacknowledged after that is dropped and counted
 * @param maxCells      most (task, minute) counts held
 * @param timeoutMs     connect and request timeout of one push
 */
public record ReportSettings(URI controlUrl, String token, long intervalMs, int windowMinutes, int maxCells, long timeoutMs) {
    public static final long DEFAULT_INTERVAL_MS = 60_000;
    public static final int DEFAULT_WINDOW_MINUTES = 60;
    public static final int DEFAULT_MAX_CELLS = 100_000;
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    public ReportSettings {
        token = token == null ? "" : token;
    }

    /** Reports off. */
    public static ReportSettings off() {
        return new ReportSettings(null, "", DEFAULT_INTERVAL_MS, DEFAULT_WINDOW_MINUTES, DEFAULT_MAX_CELLS, DEFAULT_TIMEOUT_MS);
    }

    /** Reports to {@code controlUrl} with the defaults. */
    public static ReportSettings to(String controlUrl) {
        return new ReportSettings(URI.create(controlUrl), "", DEFAULT_INTERVAL_MS, DEFAULT_WINDOW_MINUTES, DEFAULT_MAX_CELLS,
                DEFAULT_TIMEOUT_MS);
    }

    public boolean enabled() {
        return controlUrl != null;
    }

    public ReportSettings withIntervalMs(long ms) {
        return new ReportSettings(controlUrl, token, ms, windowMinutes, maxCells, timeoutMs);
    }

    public ReportSettings withToken(String t) {
        return new ReportSettings(controlUrl, t, intervalMs, windowMinutes, maxCells, timeoutMs);
    }

    /**
     * Checks a control URL as written in a config file; returns the error message, or null when
     * it is an absolute http or https URL with a host (null and empty are fine: reports off).
     */
    public static String checkUrl(String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return "must be an http:// or https:// URL, was '" + url + "'";
            }
            if (u.getHost() == null) {
                return "must name a host, was '" + url + "'";
            }
            if (u.getQuery() != null || u.getFragment() != null) {
                return "must have no query or fragment, was '" + url + "'";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "not a URL: " + e.getMessage();
        }
    }
}
