package io.datastream.embedded.logs;

/** The kinds of log a {@link LogGenerator} writes. */
public enum LogKind {
    /** Web server access log, combined log format (Apache/nginx): one request per line. */
    WEB_ACCESS,
    /** Java application log (logback-style pattern), with occasional multi-line stack traces. */
    JAVA_APP,
    /** JSON log events, one object per line (ECS-like field names). */
    JSON
}
