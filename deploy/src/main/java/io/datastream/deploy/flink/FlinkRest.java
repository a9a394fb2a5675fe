package io.datastream.deploy.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A blocking client of a Flink JobManager's REST API (Flink 2.2): upload a jar, run its main
 * class as a job, read the job's state and its checkpoint counts. Errors of the cluster (a
 * status other than 2xx) are {@link FlinkRestException}s with the status and the errors Flink
 * returned, on one line.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The main class of the sink job jar. */
    public static final String SINK_ENTRY_CLASS = "io.datastream.sink.SinkJob";

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /** @param address the JobManager's REST address, {@code http://host:8081} */
    public FlinkRest(String address, Duration timeout) {
        String a = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        URI uri = URI.create(a.contains("://") ? a : "http://" + a);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a JobManager REST address (http://host:port): " + address);
        }
        this.base = uri;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI address() {
        return base;
    }

    /** {@code POST /jars/upload}: returns the jar id the cluster gave it (for {@link #run}). */
    public String upload(Path jar) throws IOException {
        String boundary = "ds-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/jars/upload")).timeout(timeout.multipliedBy(4))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        JsonNode r = send(req, "upload " + jar.getFileName());
        String file = r.path("filename").asText("");
        if (file.isEmpty()) {
            throw new FlinkRestException("upload " + jar.getFileName() + ": no filename in the answer: " + r);
        }
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /**
     * {@code POST /jars/{id}/run}: runs {@code entryClass}'s {@code main} with {@code args} on the
     * JobManager and returns the id of the job it submitted.
     *
     * @param savepoint a savepoint or retained checkpoint to start from, or null
     * @param parallelism the job's default parallelism, or null for the cluster's
     */
    public String run(String jarId, String entryClass, List<String> args, String savepoint, Integer parallelism) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        ArrayNode list = body.putArray("programArgsList");
        args.forEach(list::add);
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
            body.put("allowNonRestoredState", false);
        }
        if (parallelism != null) {
            body.put("parallelism", parallelism);
        }
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run")).timeout(timeout.multipliedBy(4))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        JsonNode r = send(req, "run " + entryClass);
        String job = r.path("jobid").asText("");
        if (job.isEmpty()) {
            throw new FlinkRestException("run " + entryClass + ": no jobid in the answer: " + r);
        }
        return job;
    }

    /** {@code DELETE /jars/{id}}: the uploaded jar is not needed once its job is submitted. */
    public void deleteJar(String jarId) throws IOException {
        send(HttpRequest.newBuilder(base.resolve("/jars/" + jarId)).timeout(timeout).DELETE().build(), "delete jar " + jarId);
    }

    /** {@code GET /jobs/{id}}: the job's state ({@code RUNNING}, {@code RESTARTING}, ...). */
    public String jobState(String jobId) throws IOException {
        return job(jobId).path("state").asText();
    }

    /** {@code GET /jobs/{id}}: the job's details (state, vertices with their task states). */
    public JsonNode job(String jobId) throws IOException {
        return get("/jobs/" + jobId);
    }

    /** Whether the job is RUNNING and every task of every vertex is RUNNING (or already FINISHED). */
    public boolean allTasksRunning(String jobId) throws IOException {
        JsonNode job = job(jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode v : job.path("vertices")) {
            JsonNode tasks = v.path("tasks");
            int running = tasks.path("RUNNING").asInt() + tasks.path("FINISHED").asInt();
            if (running < v.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }

    /** {@code GET /jobs/{id}/checkpoints}: how many checkpoints of the job completed, since it was submitted. */
    public long completedCheckpoints(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** {@code GET /jobs/{id}/checkpoints}: the path of the latest completed checkpoint, or null. */
    public String latestCheckpoint(String jobId) throws IOException {
        JsonNode c = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return c.isMissingNode() || c.isNull() ? null : c.path("external_path").asText(null);
    }

    /**
     * {@code GET /jobs/{id}/checkpoints}: the checkpoint statistics of the job as this JobManager
     * knows them ({@code counts}, {@code latest.completed}, {@code latest.restored} with its
     * {@code id} and {@code external_path}, ...).
     */
    public JsonNode checkpoints(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** {@code GET /jobs/{id}/exceptions}: how many failures the job has had (its exception history). */
    public int failures(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
    }

    /** {@code GET /taskmanagers}: the number of TaskManagers registered with the JobManager. */
    public int taskManagers() throws IOException {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    /** {@code PATCH /jobs/{id}}: cancels the job (its retained checkpoints stay). */
    public void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId)).timeout(timeout)
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), "cancel " + jobId);
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build(), "GET " + path);
    }

    private JsonNode send(HttpRequest req, String what) throws IOException {
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + what, e);
        }
        JsonNode body = resp.body().isBlank() ? JSON.createObjectNode() : parse(resp.body());
        if (resp.statusCode() / 100 != 2) {
            throw new FlinkRestException(what + " at " + base + ": HTTP " + resp.statusCode() + ": " + errors(body, resp.body()));
        }
        return body;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode().put("text", text);
        }
    }

    /** Flink's {"errors": [...]}: the first line of each (the rest is a server-side stack trace). */
    private static String errors(JsonNode body, String raw) {
        JsonNode errors = body.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return raw.length() > 300 ? raw.substring(0, 300) + "..." : raw;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : errors) {
            for (String line : e.asText().split("\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...") && !l.startsWith("<Exception on server side")
                        && !l.startsWith("End of exception")) {
                    sb.append(sb.length() == 0 ? "" : " | ").append(l);
                }
            }
        }
        String s = sb.toString();
        return s.length() > 1000 ? s.substring(0, 1000) + "..." : s;
    }
}
