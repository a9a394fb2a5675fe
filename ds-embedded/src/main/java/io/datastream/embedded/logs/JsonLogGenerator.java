package io.datastream.embedded.logs;

/**
 * JSON events, one object per line, with ECS-like field names. A request logs a few events that
 * share its trace id; the last one carries the HTTP fields (method, route, status, duration).
 */
final class JsonLogGenerator extends LogGenerator {
    private static final String[] SERVICES = {"checkout", "catalog", "cart", "payments", "search", "accounts"};
    private static final String[] ROUTES = {"/api/v1/products/{id}", "/api/v1/cart", "/api/v1/cart/items",
        "/api/v1/orders", "/api/v1/search", "/api/v1/recommendations", "/api/v1/accounts/me"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "GET", "GET", "GET"};
    private static final String[] STEPS = {
        "loaded product from cache", "loaded product from database", "validated cart", "reserved stock",
        "called payment provider", "published order event", "rendered recommendations", "checked session token",
    };
    private static final String[] LEVELS = {"INFO", "DEBUG", "WARN", "ERROR"};
    private static final int[] LEVEL_WEIGHTS = Pick.cumulative(80, 12, 6, 2);

    private final String[] hosts = new String[12];
    private String service;
    private String host;
    private long traceId;
    private int route;
    private int linesLeft;
    private long userId;
    private int clientNet;

    JsonLogGenerator(long seed, long startMillis) {
        super(seed, startMillis);
        for (int i = 0; i < hosts.length; i++) {
            hosts[i] = "ip-10-0-" + rnd.nextInt(8) + "-" + (2 + rnd.nextInt(250));
        }
    }

    @Override
    public LogKind kind() {
        return LogKind.JSON;
    }

    @Override
    void writeLine(LineWriter w) {
        clock.advance(Pick.logNormal(rnd, 5, 1.2));
        if (linesLeft == 0) {
            linesLeft = 2 + rnd.nextInt(4);
            int s = Pick.skewed(rnd, SERVICES.length);
            service = SERVICES[s];
            host = hosts[(s * 2 + rnd.nextInt(2)) % hosts.length];
            traceId = rnd.nextLong();
            route = Pick.skewed(rnd, ROUTES.length);
            userId = rnd.nextInt(4) == 0 ? 0 : 1 + Pick.skewed(rnd, 500_000);
            clientNet = 30 + rnd.nextInt(190);
        }
        linesLeft--;
        int level = linesLeft == 0 ? 0 : Pick.weighted(rnd, LEVEL_WEIGHTS);
        w.str("{\"@timestamp\":\"");
        clock.writeIso(w);
        w.str("\",\"log.level\":\"").str(LEVELS[level]).str("\",\"service.name\":\"").str(service)
                .str("\",\"host.name\":\"").str(host).str("\",\"trace.id\":\"").hex(traceId, 16).str("\",\"span.id\":\"").hex(rnd.nextLong(), 16)
                .str("\",\"log.logger\":\"com.example.").str(service).str(".").str(linesLeft == 0 ? "AccessLog" : "Handler")
                .str("\",\"message\":\"");
        if (linesLeft == 0) {
            int status = rnd.nextInt(100) < 95 ? 200 : (rnd.nextBoolean() ? 404 : 503);
            w.str("request completed\",\"http.request.method\":\"").str(METHODS[route]).str("\",\"url.path\":\"")
                    .str(ROUTES[route].replace("{id}", Integer.toString(10_000 + Pick.skewed(rnd, 50_000))))
                    .str("\",\"http.response.status_code\":").num(status).str(",\"event.duration_ms\":")
                    .num(Pick.logNormal(rnd, 22, 0.9)).str(",\"http.response.body.bytes\":").num(Pick.logNormal(rnd, 2_400, 0.8))
                    .str(",\"client.ip\":\"").num(clientNet).ch('.').num(rnd.nextInt(256)).ch('.').num(rnd.nextInt(256)).ch('"');
        } else if (level == 3) {
            w.str("upstream call failed: connection reset by peer\",\"error.type\":\"java.io.IOException\"");
        } else if (level == 2) {
            w.str("slow upstream response\",\"upstream\":\"").str(SERVICES[rnd.nextInt(SERVICES.length)])
                    .str("\",\"event.duration_ms\":").num(800 + Pick.logNormal(rnd, 400, 0.6));
        } else {
            w.jsonEscaped(STEPS[Pick.skewed(rnd, STEPS.length)]).ch('"');
        }
        if (userId != 0) {
            w.str(",\"user.id\":").num(userId);
        }
        w.ch('}');
    }
}
