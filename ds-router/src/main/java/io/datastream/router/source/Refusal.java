package io.datastream.router.source;

/**
 * Why the HTTP source refused a request: the JSON {@code error} field, the HTTP status and the
 * {@code reason} label of {@code ds_router_http_refusals_total}. Ids are fixed and never reused.
 */
public enum Refusal {
    MALFORMED(1, 400, "malformed"),
    BAD_EVENT(2, 400, "bad_event"),
    NO_ROUTE(3, 400, "no_route"),
    UNAUTHORIZED(4, 401, "unauthorized"),
    FORBIDDEN(5, 403, "forbidden"),
    NOT_FOUND(6, 404, "not_found"),
    METHOD_NOT_ALLOWED(7, 405, "method_not_allowed"),
    TIMEOUT(8, 408, "timeout"),
    BODY_TOO_LARGE(9, 413, "body_too_large"),
    TOO_MANY_EVENTS(10, 413, "too_many_events"),
    UNSUPPORTED_MEDIA_TYPE(11, 415, "unsupported_media_type"),
    CHANNEL_FULL(12, 429, "channel_full"),
    NOT_SAFE_IN_TIME(13, 503, "not_safe_in_time"),
    SHUTTING_DOWN(14, 503, "shutting_down"),
    HEADERS_TOO_LARGE(15, 431, "headers_too_large"),
    OVERLOADED(16, 503, "overloaded");

    private final int id;
    private final int status;
    private final String label;

    Refusal(int id, int status, String label) {
        this.id = id;
        this.status = status;
        this.label = label;
    }

    public int id() {
        return id;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The error name in JSON bodies and metrics. */
    public String label() {
        return label;
    }
}
