package io.datastream.router.config;

import io.datastream.config.Doc;

import io.datastream.protocol.report.ReportSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code reports.*}: minute reports to ds-control (docs/router.md, Minute reports).
 */
public record ReportsConfig(
        @Doc("ds-control's base URL: minute reports on ([Minute reports](#minute-reports-to-control))")
        String controlUrl,
        @Doc("bearer token with control's `write` role")
        String token,
        @Doc("file holding the token (instead of `reports.token`)")
        String tokenFile,
        @Doc("how often changed minutes are pushed (100 to 3600000)")
        Long intervalMs,
        @Doc("minutes kept for re-sending while control does not acknowledge (2 to 10080)")
        Integer windowMinutes,
        @Doc("most (task, minute) counts held (100 to 10000000)")
        Integer maxCells,
        @Doc("connect and request timeout of one push (100 to 600000)")
        Long timeoutMs) {
    /** Source ids control accepts in a report. */
    static final java.util.regex.Pattern SOURCE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    public ReportsConfig {
        controlUrl = controlUrl == null ? "" : controlUrl;
        token = token == null ? "" : token;
        tokenFile = tokenFile == null ? "" : tokenFile;
        intervalMs = intervalMs == null ? ReportSettings.DEFAULT_INTERVAL_MS : intervalMs;
        windowMinutes = windowMinutes == null ? ReportSettings.DEFAULT_WINDOW_MINUTES : windowMinutes;
        maxCells = maxCells == null ? ReportSettings.DEFAULT_MAX_CELLS : maxCells;
        timeoutMs = timeoutMs == null ? ReportSettings.DEFAULT_TIMEOUT_MS : timeoutMs;
    }

    public static ReportsConfig off() {
        return new ReportsConfig(null, null, null, null, null, null, null);
    }

    public boolean enabled() {
        return !controlUrl.isEmpty();
    }

    public void validate(ConfigErrors e, String routerId) {
        String urlError = ReportSettings.checkUrl(controlUrl);
        e.check(urlError == null, "reports.controlUrl", urlError);
        e.check(token.isEmpty() || tokenFile.isEmpty(), "reports.tokenFile", "give reports.token or reports.tokenFile, not both");
        if (!tokenFile.isEmpty()) {
            e.check(Files.isReadable(Path.of(tokenFile)), "reports.tokenFile", "cannot read " + tokenFile);
        }
        e.between(intervalMs, 100, 3_600_000, "reports.intervalMs");
        e.between(windowMinutes, 2, 10_080, "reports.windowMinutes");
        e.between(maxCells, 100, 10_000_000, "reports.maxCells");
        e.between(timeoutMs, 100, 600_000, "reports.timeoutMs");
        if (enabled()) {
            e.check(SOURCE_ID.matcher(routerId).matches(), "id", "must match " + SOURCE_ID.pattern()
                    + " when reports.controlUrl is set (control's source ids), was '" + routerId + "'");
        }
    }

    /** The settings of the report sender (the token file is read now). */
    public ReportSettings settings() {
        if (!enabled()) {
            return ReportSettings.off();
        }
        String t = token;
        if (!tokenFile.isEmpty()) {
            try {
                t = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("reports.tokenFile: cannot read " + tokenFile + ": " + e.getMessage(), e);
            }
        }
        return new ReportSettings(URI.create(controlUrl), t, intervalMs, windowMinutes, maxCells, timeoutMs);
    }

    @Override
    public String toString() {
        return "ReportsConfig[controlUrl=" + controlUrl + ", token=" + (token.isEmpty() ? "" : "***") + ", tokenFile=" + tokenFile
                + ", intervalMs=" + intervalMs + ", windowMinutes=" + windowMinutes + ", maxCells=" + maxCells + ", timeoutMs=" + timeoutMs + "]";
    }
}
