package io.datastream.embedded.logs;

/**
 * Combined log format: {@code ip - user [time] "METHOD path HTTP/x" status size "referer" "agent"}.
 * Clients come in sessions (one IP and user agent asking for a page, its assets and API calls),
 * a few clients and pages are much more frequent than the rest, health checks and crawlers
 * appear regularly, and statuses and sizes follow the kind of resource.
 */
final class WebAccessLogGenerator extends LogGenerator {
    private static final String SITE = "https://shop.example.com";
    /** User agent templates; {V} is a browser version and {M} a device model, varied per client. */
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{V} Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{V} Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS {I} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{S} Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android {A}; {M}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{V} Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{F}) Gecko/20100101 Firefox/{F}",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{S} Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{V} Safari/537.36 Edg/{V}",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{V} Safari/537.36",
        "Mozilla/5.0 (iPad; CPU OS {I} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{S} Mobile/15E148 Safari/604.1",
        "ShopApp/5.{F} (iPhone; iOS {S}; Scale/3.00)",
        "ShopApp/5.{F} (Android {A}; {M})",
        "okhttp/4.12.0",
        "curl/8.5.0",
    };
    private static final int[] AGENT_WEIGHTS = Pick.cumulative(30, 14, 16, 16, 6, 6, 5, 2, 3, 6, 4, 2, 1);
    private static final String[] MODELS = {"SM-S918B", "SM-A546B", "SM-G991B", "Pixel 7", "Pixel 8 Pro", "Pixel 6a",
        "M2101K6G", "CPH2449", "moto g84 5G", "SM-A155F", "2201117TY", "RMX3771", "SM-S911B", "Pixel 7a", "V2250"};
    private static final String[] BOTS = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    };
    private static final int[] FIRST_OCTETS = {31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
        91, 92, 93, 94, 95, 109, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217};
    private static final String[] CAMPAIGNS = {"utm_source=newsletter&utm_medium=email&utm_campaign=spring24",
        "utm_source=facebook&utm_medium=cpc&utm_campaign=retarget", "utm_source=google&utm_medium=cpc&utm_campaign=brand",
        "ref=partner-1182"};
    private static final String[] CATEGORIES = {"shoes", "jackets", "shirts", "bags", "watches", "sports", "kids",
        "home", "kitchen", "garden", "electronics", "phones", "laptops", "books", "toys", "beauty"};
    private static final String[] WORDS = {"red", "running", "shoes", "leather", "bag", "winter", "jacket", "wireless",
        "headphones", "kids", "sale", "black", "dress", "watch", "smart", "usb-c", "charger", "gift", "coffee", "mug"};
    private static final String[] ASSETS = {"/static/js/app.4f9a1c2e.js", "/static/js/vendor.81be2d07.js",
        "/static/css/main.0c5d3a91.css", "/static/fonts/inter-var.woff2", "/favicon.ico", "/static/img/logo.svg",
        "/static/js/checkout.77ab90f3.js", "/static/img/sprite.png"};
    private static final int[] ASSET_SIZES = {184_233, 412_907, 48_115, 97_240, 15_086, 3_412, 61_874, 22_904};
    private static final String[] PAGES = {"/", "/cart", "/checkout", "/account/orders", "/login", "/deals", "/help/shipping"};

    /** Clients: address and user agent, fixed per client; low indexes are the busy ones. */
    private final String[] clientIp = new String[40_000];
    private final int[] clientAgent = new int[40_000];
    private final String[] clientAgentString = new String[40_000];
    /** Active sessions: client, current page (for referers and API calls), requests left. */
    private final int[] sessionClient = new int[800];
    private final String[] sessionPage = new String[800];
    private final int[] sessionProduct = new int[800];
    private final String[] lbIps = {"10.0.0.11", "10.0.1.12", "10.0.2.13"};
    private long nextHealthCheck;

    WebAccessLogGenerator(long seed, long startMillis) {
        super(seed, startMillis);
        for (int i = 0; i < clientIp.length; i++) {
            clientIp[i] = randomIp();
            clientAgent[i] = rnd.nextInt(40) == 0 ? -1 - rnd.nextInt(BOTS.length) : Pick.weighted(rnd, AGENT_WEIGHTS);
            clientAgentString[i] = clientAgent[i] < 0 ? BOTS[-1 - clientAgent[i]] : agentString(AGENTS[clientAgent[i]]);
        }
        for (int s = 0; s < sessionClient.length; s++) {
            newSession(s);
        }
        nextHealthCheck = startMillis;
    }

    private String agentString(String template) {
        int chrome = 118 + rnd.nextInt(8);
        return template
                .replace("{V}", chrome + ".0." + (5993 + (chrome - 118) * 62 + rnd.nextInt(8)) + "." + rnd.nextInt(220))
                .replace("{I}", (16 + rnd.nextInt(2)) + "_" + rnd.nextInt(7) + (rnd.nextBoolean() ? "" : "_" + (1 + rnd.nextInt(3))))
                .replace("{S}", (16 + rnd.nextInt(2)) + "." + rnd.nextInt(7))
                .replace("{A}", Integer.toString(11 + rnd.nextInt(4)))
                .replace("{M}", MODELS[Pick.skewed(rnd, MODELS.length)])
                .replace("{F}", (115 + rnd.nextInt(11)) + ".0");
    }

    private String randomIp() {
        switch (rnd.nextInt(10)) {
            case 0:
                return "2a02:" + Integer.toHexString(rnd.nextInt(0x10000)) + ":" + Integer.toHexString(rnd.nextInt(0x10000))
                        + "::" + Integer.toHexString(rnd.nextInt(0x10000));
            case 1:
            case 2: // carrier-grade NAT ranges of mobile networks: few distinct prefixes
                return (rnd.nextBoolean() ? "100.64." : "100.72.") + rnd.nextInt(256) + "." + rnd.nextInt(256);
            default:
                return FIRST_OCTETS[rnd.nextInt(FIRST_OCTETS.length)] + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
        }
    }

    private void newSession(int s) {
        sessionClient[s] = Pick.skewed(rnd, clientIp.length);
        sessionProduct[s] = productId();
        sessionPage[s] = rnd.nextInt(3) == 0 ? "/" : "/products/" + sessionProduct[s];
    }

    /** Half of the views go to a few hot products, the rest anywhere in the catalogue. */
    private int productId() {
        return 10_000 + (rnd.nextBoolean() ? Pick.skewed(rnd, 5_000) : rnd.nextInt(190_000));
    }

    @Override
    public LogKind kind() {
        return LogKind.WEB_ACCESS;
    }

    @Override
    void writeLine(LineWriter w) {
        clock.advance(Pick.logNormal(rnd, 4, 1.2));
        if (clock.millis() >= nextHealthCheck) {
            nextHealthCheck = clock.millis() + 1000 + rnd.nextInt(50);
            writeRequest(w, lbIps[rnd.nextInt(lbIps.length)], "-", "GET", "/health", 200, 2, "-", "ELB-HealthChecker/2.0");
            return;
        }
        int s = rnd.nextInt(sessionClient.length);
        if (rnd.nextInt(6) == 0) {
            newSession(s);
        }
        int client = sessionClient[s];
        int agentIndex = clientAgent[client];
        String agent = clientAgentString[client];
        String user = agentIndex >= 0 && client % 5 == 0 ? "u" + (client * 7919 % 100_000) : "-";
        String referer = SITE + sessionPage[s];

        int kind = rnd.nextInt(100);
        if (agentIndex < 0 || kind < 22) { // a page
            String page = nextPage(s);
            String ref = agentIndex < 0 ? "-" : (rnd.nextInt(4) == 0 ? "https://www.google.com/" : referer);
            if (agentIndex >= 0 && rnd.nextInt(8) == 0) {
                page = page + (page.indexOf('?') < 0 ? '?' : '&') + CAMPAIGNS[rnd.nextInt(CAMPAIGNS.length)]
                        + "&gclid=" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36);
            }
            sessionPage[s] = page;
            int status = rnd.nextInt(100) < 3 ? 404 : (rnd.nextInt(200) == 0 ? 500 : 200);
            long size = status == 404 ? 3_112 : (status == 500 ? 1_024 : Pick.logNormal(rnd, 28_000, 0.35));
            writeRequest(w, clientIp[client], user, "GET", page, status, size, ref, agent);
        } else if (kind < 60) { // an asset of the current page
            int a = Pick.skewed(rnd, ASSETS.length);
            boolean notModified = rnd.nextInt(4) == 0;
            writeRequest(w, clientIp[client], user, "GET", ASSETS[a], notModified ? 304 : 200,
                    notModified ? 0 : ASSET_SIZES[a], referer, agent);
        } else if (kind < 75) { // a product image
            int id = rnd.nextInt(3) == 0 ? sessionProduct[s] : productId();
            String size = rnd.nextBoolean() ? "_400x400.webp" : "_120x120.webp";
            writeRequest(w, clientIp[client], user, "GET", "/images/products/" + id + size, 200,
                    Pick.logNormal(rnd, 21_000, 0.5), referer, agent);
        } else { // an API call
            writeApi(w, s, clientIp[client], user, referer, agent);
        }
    }

    private String nextPage(int s) {
        int k = rnd.nextInt(20);
        if (k < 9) {
            sessionProduct[s] = productId();
            return "/products/" + sessionProduct[s];
        } else if (k < 13) {
            return "/category/" + CATEGORIES[Pick.skewed(rnd, CATEGORIES.length)] + (rnd.nextBoolean() ? "" : "?page=" + (2 + rnd.nextInt(5)));
        } else if (k < 16) {
            return "/search?q=" + WORDS[Pick.skewed(rnd, WORDS.length)] + "+" + WORDS[rnd.nextInt(WORDS.length)];
        }
        return PAGES[Pick.skewed(rnd, PAGES.length)];
    }

    private void writeApi(LineWriter w, int s, String ip, String user, String referer, String agent) {
        int k = rnd.nextInt(10);
        if (k < 4) {
            writeRequest(w, ip, user, "GET", "/api/v1/products/" + sessionProduct[s], 200, Pick.logNormal(rnd, 1_800, 0.3), referer, agent);
        } else if (k < 6) {
            writeRequest(w, ip, user, "GET", "/api/v1/recommendations?product=" + sessionProduct[s] + "&limit=12", 200,
                    Pick.logNormal(rnd, 4_200, 0.2), referer, agent);
        } else if (k < 8) {
            boolean bad = rnd.nextInt(30) == 0;
            writeRequest(w, ip, user, "POST", "/api/v1/cart/items", bad ? 400 : 201, bad ? 87 : 412, referer, agent);
        } else if (k < 9) {
            writeRequest(w, ip, user, "GET", "/api/v1/cart", 200, Pick.logNormal(rnd, 950, 0.4), referer, agent);
        } else {
            boolean denied = "-".equals(user);
            writeRequest(w, ip, user, "POST", "/api/v1/events", denied ? 204 : 202, 0, referer, agent);
        }
    }

    private void writeRequest(LineWriter w, String ip, String user, String method, String path, int status, long size,
                              String referer, String agent) {
        w.str(ip).str(" - ").str(user).str(" [");
        clock.writeClf(w);
        w.str("] \"").str(method).ch(' ').str(path).str(" HTTP/1.1\" ").num(status).ch(' ');
        if (size == 0 && status != 200) {
            w.ch('-');
        } else {
            w.num(size);
        }
        w.str(" \"").str(referer).str("\" \"").str(agent).ch('"');
    }
}
