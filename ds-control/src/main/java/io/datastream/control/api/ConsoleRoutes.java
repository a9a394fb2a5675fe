package io.datastream.control.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console: static files under {@code /ui}, read from the jar once at start (a fixed list,
 * so no path from a request ever reaches the class loader), plus uPlot from its webjar. The files
 * hold code only; the console reads and writes through the REST API with the user's token, so they
 * are served without one. Every answer carries a Content-Security-Policy that allows scripts and
 * styles from this origin only (no inline script), forbids framing, and {@code nosniff}.
 */
final class ConsoleRoutes {
    static final String ROOT = "/ui";
    static final String FILES = "/ui/<file>";
    static final String RESOURCES = "/io/datastream/control/ui/";
    /** The webjar's own record of its version, so the path follows the version in the pom. */
    static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** The console's files (path under /ui/ -> resource). */
    private static final Map<String, String> ASSETS = assets();

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    ConsoleRoutes() {
        ASSETS.forEach((name, resource) -> files.put(name, read(resource)));
    }

    private static Map<String, String> assets() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of("index.html", "console.css", "js/app.js", "js/api.js", "js/dom.js", "js/chart.js", "js/overview.js",
                "js/tasks.js", "js/taskform.js", "js/members.js", "js/alerts.js")) {
            m.put(f, RESOURCES + f);
        }
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        m.put("lib/uPlot.iife.min.js", uplot + "uPlot.iife.min.js");
        m.put("lib/uPlot.min.css", uplot + "uPlot.min.css");
        return Map.copyOf(m);
    }

    private static String uplotVersion() {
        java.util.Properties p = new java.util.Properties();
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException(UPLOT_POM + " is missing: the uplot webjar is not on the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    /** Whether a route path belongs to the console (not part of the REST API). */
    static boolean isConsolePath(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    void register(Javalin app) {
        // Javalin matches /ui and /ui/ alike; the page needs the slash for its relative links
        app.get(ROOT, ctx -> {
            if (ctx.path().endsWith("/")) {
                serve(ctx, "index.html");
            } else {
                secure(ctx);
                ctx.redirect(ROOT + "/");
            }
        });
        app.get(FILES, ctx -> serve(ctx, ctx.pathParam("file")));
    }

    private void serve(Context ctx, String name) {
        byte[] body = files.get(name);
        secure(ctx);
        if (body == null) {
            throw new ApiException(404, "no such console file: " + name);
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(contentType(name)).result(body);
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
