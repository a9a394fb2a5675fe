package io.datastream.control;

import com.fasterxml.jackson.databind.JsonMappingException;

/** Names the field a Jackson mapping error is about, as users wrote it: {@code tasks[2].paths}. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** The dotted path of the field, with [index] for list elements; {@code root} when there is none. */
    public static String path(JsonMappingException e, String root) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? root : b.toString();
    }
}
