package io.datastream.control.api;

import io.datastream.control.inventory.Page;
import io.datastream.registry.RegistryJson;
import io.datastream.registry.task.FieldError;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Request and answer helpers shared by the routes: bounded bodies, paging parameters, JSON answers. */
final class Http {
    static final String JSON = "application/json";

    private Http() {
    }

    /** Reads the body, refusing (413) more than {@code max} bytes whether or not Content-Length says so. */
    static byte[] body(Context ctx, int max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            throw tooLarge(declared, max);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw tooLarge(-1, max);
            }
            return b;
        } catch (IOException e) {
            throw new ApiException(400, "could not read the request body: " + e.getMessage(),
                    List.of(new FieldError("body", "could not be read")));
        }
    }

    private static ApiException tooLarge(long declared, int max) {
        String size = declared >= 0 ? declared + " bytes" : "more than " + max + " bytes";
        return new ApiException(413, "request body of " + size + " is over the limit of " + max + " bytes (http.maxBodyBytes)",
                List.of(new FieldError("body", "at most " + max + " bytes")));
    }

    /** The {@code limit} query parameter: 1 to {@link Page#MAX_LIMIT}, default {@link Page#DEFAULT_LIMIT}. */
    static int limit(Context ctx) {
        String s = ctx.queryParam("limit");
        if (s == null || s.isEmpty()) {
            return Page.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= Page.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badField("limit", "must be an integer in [1, " + Page.MAX_LIMIT + "], was '" + s + "'");
    }

    /** The {@code after} cursor (the {@code next} of the previous page), or null. */
    static String after(Context ctx) {
        String s = ctx.queryParam("after");
        return s == null || s.isEmpty() ? null : s;
    }

    /** An optional non-empty query parameter. */
    static String param(Context ctx, String name) {
        String s = ctx.queryParam(name);
        return s == null || s.isEmpty() ? null : s;
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(RegistryJson.write(body));
    }

    static void json(Context ctx, Object body) {
        json(ctx, 200, body);
    }
}
