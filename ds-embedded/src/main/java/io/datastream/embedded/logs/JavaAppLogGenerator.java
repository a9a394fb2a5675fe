package io.datastream.embedded.logs;

/**
 * Logback-style application log: {@code 2024-05-01 12:00:00.123 INFO  [thread] logger - message}.
 * Requests on a pool of worker threads log a few lines each; errors come now and then with a
 * stack trace of many physical lines ({@code \tat ...}, {@code Caused by: ...}, {@code \t... N more}).
 */
final class JavaAppLogGenerator extends LogGenerator {
    private static final String[] LOGGERS = {
        "c.e.shop.order.OrderService", "c.e.shop.order.OrderController", "c.e.shop.cart.CartService",
        "c.e.shop.catalog.ProductRepository", "c.e.shop.payment.PaymentClient", "c.e.shop.auth.TokenFilter",
        "c.e.shop.inventory.StockReservation", "c.e.shop.search.SearchService", "o.s.web.servlet.DispatcherServlet",
        "o.a.kafka.clients.producer.KafkaProducer", "com.zaxxer.hikari.pool.HikariPool", "c.e.shop.mail.MailSender",
    };
    private static final String[] EXCEPTIONS = {
        "java.net.SocketTimeoutException: Read timed out",
        "org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
        "java.lang.IllegalStateException: Reservation already released",
        "c.e.shop.payment.PaymentDeclinedException: card declined (code 05)",
        "java.lang.NullPointerException: Cannot invoke \"c.e.shop.cart.CartItem.getSku()\" because \"item\" is null",
    };
    private static final String[] CAUSES = {
        "java.net.SocketTimeoutException: Read timed out",
        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
        "java.io.IOException: Connection reset by peer",
    };
    private static final String[] OWN_FRAMES = {
        "c.e.shop.order.OrderService.placeOrder(OrderService.java:142)",
        "c.e.shop.order.OrderController.create(OrderController.java:58)",
        "c.e.shop.payment.PaymentClient.charge(PaymentClient.java:91)",
        "c.e.shop.payment.PaymentClient.lambda$charge$2(PaymentClient.java:77)",
        "c.e.shop.inventory.StockReservation.reserve(StockReservation.java:66)",
        "c.e.shop.cart.CartService.checkout(CartService.java:203)",
        "c.e.shop.catalog.ProductRepository.findBySku(ProductRepository.java:39)",
    };
    private static final String[] LIBRARY_FRAMES = {
        "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
        "java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)",
        "org.apache.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:153)",
        "org.apache.http.impl.conn.DefaultHttpResponseParser.parseHead(DefaultHttpResponseParser.java:88)",
        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:781)",
        "org.springframework.web.client.RestTemplate.execute(RestTemplate.java:711)",
        "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
        "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)",
        "org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:765)",
        "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
        "org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection(DatasourceConnectionProviderImpl.java:122)",
        "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
        "java.base/java.lang.reflect.Method.invoke(Method.java:568)",
        "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)",
        "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:166)",
        "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
        "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744)",
        "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
        "java.base/java.lang.Thread.run(Thread.java:840)",
    };
    private static final String[] LEVELS = {"INFO ", "DEBUG", "WARN ", "ERROR"};
    private static final int[] LEVEL_WEIGHTS = Pick.cumulative(78, 12, 7, 3);
    private static final String[] SKUS = {"SKU-10442", "SKU-20871", "SKU-31007", "SKU-44512", "SKU-58803", "SKU-61290"};

    /** Lines of a stack trace still to write; 0 when none is in progress. */
    private int traceLeft;
    private int traceFrame;
    private boolean causeWritten;
    private String thread = "main";
    private long requestId;
    private int requestLinesLeft;

    JavaAppLogGenerator(long seed, long startMillis) {
        super(seed, startMillis);
    }

    @Override
    public LogKind kind() {
        return LogKind.JAVA_APP;
    }

    @Override
    void writeLine(LineWriter w) {
        if (traceLeft > 0) {
            writeTraceLine(w);
            return;
        }
        clock.advance(Pick.logNormal(rnd, 6, 1.3));
        if (requestLinesLeft == 0) {
            requestLinesLeft = 2 + rnd.nextInt(5);
            requestId = rnd.nextLong() & 0xFFFF_FFFF_FFFFL;
            int t = rnd.nextInt(20);
            thread = t < 16 ? "http-nio-8080-exec-" + (1 + Pick.skewed(rnd, 40))
                    : t < 18 ? "scheduling-1" : t < 19 ? "kafka-producer-network-thread | producer-1" : "ForkJoinPool.commonPool-worker-" + rnd.nextInt(8);
        }
        requestLinesLeft--;
        int level = Pick.weighted(rnd, LEVEL_WEIGHTS);
        String logger = LOGGERS[Pick.skewed(rnd, LOGGERS.length)];
        clock.writeLogback(w);
        w.ch(' ').str(LEVELS[level]).str(" [").str(thread).str("] ");
        if (thread.startsWith("http")) {
            w.str("[req=").hex(requestId, 12).str("] ");
        }
        w.str(logger).str(" - ");
        switch (level) {
            case 3 -> {
                w.str("Request failed: ").str(EXCEPTIONS[rnd.nextInt(EXCEPTIONS.length)]);
                if (rnd.nextInt(3) != 0) {
                    traceLeft = 8 + rnd.nextInt(24);
                    traceFrame = rnd.nextInt(OWN_FRAMES.length);
                    causeWritten = false;
                }
            }
            case 2 -> writeWarning(w);
            case 1 -> w.str("Cache lookup key=product:").num(10_000 + Pick.skewed(rnd, 50_000)).str(" hit=").str(rnd.nextInt(5) == 0 ? "false" : "true");
            default -> writeInfo(w);
        }
    }

    private void writeInfo(LineWriter w) {
        switch (rnd.nextInt(8)) {
            case 0 -> w.str("Created order ").num(1_000_000 + rnd.nextInt(9_000_000)).str(" for customer ")
                    .num(Pick.skewed(rnd, 200_000)).str(" with ").num(1 + rnd.nextInt(6)).str(" items, total ")
                    .num(5 + Pick.logNormal(rnd, 40, 0.9)).str(".").padded(rnd.nextInt(100), 2).str(" EUR");
            case 1 -> w.str("Reserved ").num(1 + rnd.nextInt(3)).str(" x ").str(SKUS[Pick.skewed(rnd, SKUS.length)])
                    .str(" in warehouse ").str(rnd.nextBoolean() ? "FRA-1" : "AMS-2");
            case 2 -> w.str("Completed request GET /api/v1/products/").num(10_000 + Pick.skewed(rnd, 50_000))
                    .str(" 200 in ").num(Pick.logNormal(rnd, 18, 0.8)).str(" ms");
            case 3 -> w.str("Payment authorized provider=stripe amount=").num(Pick.logNormal(rnd, 4_000, 0.9))
                    .str(" currency=EUR");
            case 4 -> w.str("Search query=\"").str(rnd.nextBoolean() ? "running shoes" : "winter jacket").str("\" results=")
                    .num(rnd.nextInt(400)).str(" took=").num(Pick.logNormal(rnd, 25, 0.6)).str("ms");
            case 5 -> w.str("Sent order confirmation mail to customer ").num(Pick.skewed(rnd, 200_000));
            case 6 -> w.str("HikariPool-1 - Pool stats (total=20, active=").num(rnd.nextInt(21)).str(", idle=")
                    .num(rnd.nextInt(21)).str(", waiting=0)");
            default -> w.str("Completed request POST /api/v1/cart/items 201 in ").num(Pick.logNormal(rnd, 30, 0.7)).str(" ms");
        }
    }

    private void writeWarning(LineWriter w) {
        switch (rnd.nextInt(3)) {
            case 0 -> w.str("Slow query on product_variants took ").num(500 + Pick.logNormal(rnd, 300, 0.8)).str(" ms");
            case 1 -> w.str("Retrying payment call (attempt ").num(2 + rnd.nextInt(2)).str(" of 3) after ")
                    .num(100 * (1 + rnd.nextInt(4))).str(" ms");
            default -> w.str("Stock low for ").str(SKUS[rnd.nextInt(SKUS.length)]).str(": ").num(rnd.nextInt(5)).str(" left");
        }
    }

    private void writeTraceLine(LineWriter w) {
        traceLeft--;
        if (!causeWritten && traceLeft > 3 && rnd.nextInt(10) == 0) {
            causeWritten = true;
            w.str("Caused by: ").str(CAUSES[rnd.nextInt(CAUSES.length)]);
            return;
        }
        if (traceLeft == 0 && causeWritten) {
            w.str("\t... ").num(20 + rnd.nextInt(40)).str(" more");
            return;
        }
        w.str("\tat ");
        if (traceFrame < OWN_FRAMES.length && rnd.nextInt(3) != 0) {
            w.str(OWN_FRAMES[traceFrame++]);
        } else {
            w.str(LIBRARY_FRAMES[(traceFrame++) % LIBRARY_FRAMES.length]);
        }
    }
}
