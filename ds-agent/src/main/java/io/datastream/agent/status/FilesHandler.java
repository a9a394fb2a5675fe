package io.datastream.agent.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /files} on the metrics port: every file the agent follows, with its state, stream,
 * offset and size (docs/agent.md, "Per-file status"), as a JSON array. Asked for on demand by
 * control ({@code ds ctl agent files}), so per-file state is never stored in ZooKeeper. Any other
 * path is 404; any other method 405.
 */
final class FilesHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<?> files;

    FilesHandler(Supplier<?> files) {
        this.files = files;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"/files".equals(ex.getRequestURI().getPath())) {
                send(ex, 404, "text/plain; charset=utf-8", "not found: this port serves /metrics and /files\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(ex, 200, "application/json", JSON.writeValueAsBytes(files.get()));
        }
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
