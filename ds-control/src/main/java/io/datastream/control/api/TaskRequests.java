package io.datastream.control.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a request body into a valid {@link TaskSpec}, or a 400 naming every failing field. The
 * JSON is read strictly: duplicate keys, unknown fields, wrong types (no coercion of "5" into 5
 * or 5.5 into 5), nulls inside lists and maps and trailing data are all refused. Then the task is
 * validated ({@link TaskSpec#validate()}: ids, globs, topic names, regexes, limits) and its
 * topic checked against the cluster's {@code allowedTopics}.
 */
final class TaskRequests {
    /** Map-valued fields of a task, whose values must not be null. */
    private static final Set<String> MAP_FIELDS = Set.of("headers", "hosts.labels");

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /** A parsed task and the version the body named ("version" field), or null. */
    record Parsed(TaskSpec spec, Integer version) {
    }

    private final Pattern allowedTopics;

    TaskRequests(Pattern allowedTopics) {
        this.allowedTopics = allowedTopics;
    }

    /**
     * Parses a create ({@code pathId} null: the body must name the id, and may not carry a version)
     * or an update ({@code pathId} given: the body's id, if any, must equal it; it may carry "version").
     */
    Parsed parse(byte[] body, String pathId) {
        if (body.length == 0) {
            throw ApiException.badField("body", "is empty; expected a JSON task object");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(body);
        } catch (IOException e) {
            throw ApiException.badField("body", "is not valid JSON: " + describe(e));
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.badField("body", "must be a JSON object (a task), was " + (tree == null ? "nothing" : kind(tree)));
        }
        ObjectNode obj = (ObjectNode) tree;
        Integer version = null;
        if (pathId != null && obj.has("version")) {
            JsonNode v = obj.remove("version");
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                throw ApiException.badField("version", "must be the task's version, an integer >= 0");
            }
            version = v.intValue();
        }
        List<FieldError> nulls = new ArrayList<>();
        findNulls(obj, "", nulls);
        if (!nulls.isEmpty()) {
            throw invalid(nulls);
        }
        if (pathId != null) {
            JsonNode id = obj.get("id");
            if (id == null || id.isNull()) {
                obj.put("id", pathId);
            } else if (!id.isTextual() || !id.textValue().equals(pathId)) {
                throw ApiException.badField("id", "'" + id.asText() + "' does not match the task id in the path, '" + pathId + "'");
            }
        }
        TaskSpec spec;
        try {
            spec = STRICT.treeToValue(obj, TaskSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw invalid(List.of(fieldError(e)));
        }
        List<FieldError> errors = new ArrayList<>(spec.validate());
        if (spec.topic() != null && errors.stream().noneMatch(f -> f.field().equals("topic"))
                && !allowedTopics.matcher(spec.topic()).matches()) {
            errors.add(new FieldError("topic", "'" + spec.topic() + "' is not allowed on this cluster (allowedTopics: "
                    + allowedTopics.pattern() + ")"));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new Parsed(spec, version);
    }

    /** Errors of a task id taken from a path: the same rule as the task's id field. */
    static List<FieldError> idErrors(String id) {
        return TaskSpec.of(id, List.of("/x"), null).validate();
    }

    static ApiException invalid(List<FieldError> errors) {
        String summary = errors.stream().map(f -> f.field()).distinct().collect(Collectors.joining(", "));
        return new ApiException(400, "invalid task: " + summary, errors);
    }

    private static void findNulls(JsonNode node, String path, List<FieldError> out) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = path + "[" + i + "]";
                if (node.get(i).isNull()) {
                    out.add(new FieldError(p, "must not be null"));
                } else {
                    findNulls(node.get(i), p, out);
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isNull()) {
                    if (MAP_FIELDS.contains(path)) {
                        out.add(new FieldError(p, "must not be null"));
                    }
                } else {
                    findNulls(e.getValue(), p, out);
                }
            }
        }
    }

    private static FieldError fieldError(Exception e) {
        if (e instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
            return new FieldError(path(u), "unknown field" + known(u.getKnownPropertyIds()));
        }
        if (e instanceof InvalidFormatException) {
            InvalidFormatException f = (InvalidFormatException) e;
            Class<?> target = f.getTargetType();
            if (target != null && target.isEnum()) {
                return new FieldError(path(f), "'" + f.getValue() + "' is not one of " + enumValues(target));
            }
            return new FieldError(path(f), "must be " + typeName(target));
        }
        if (e instanceof ValueInstantiationException) {
            ValueInstantiationException v = (ValueInstantiationException) e;
            Throwable cause = v.getCause() == null ? v : v.getCause();
            return new FieldError(path(v), "invalid value: " + cause.getMessage());
        }
        if (e instanceof MismatchedInputException) {
            MismatchedInputException m = (MismatchedInputException) e;
            return new FieldError(path(m), "must be " + typeName(m.getTargetType()));
        }
        if (e instanceof JsonMappingException) {
            JsonMappingException m = (JsonMappingException) e;
            return new FieldError(path(m), m.getOriginalMessage());
        }
        if (e instanceof StreamReadException) {
            // e.g. a number too large for its field
            StreamReadException s = (StreamReadException) e;
            return new FieldError(pointerPath(s.getProcessor()), s.getOriginalMessage().replaceAll(" \\(for .*\\)$", ""));
        }
        return new FieldError("body", e.getMessage());
    }

    private static String path(JsonMappingException e) {
        return FieldError.pathOf(e, "body");
    }

    private static String pointerPath(Object processor) {
        if (!(processor instanceof JsonParser)) {
            return "body";
        }
        JsonPointer p = ((JsonParser) processor).getParsingContext().pathAsPointer();
        StringBuilder b = new StringBuilder();
        for (JsonPointer q = p; q != null && !q.matches(); q = q.tail()) {
            if (q.mayMatchElement() && !q.mayMatchProperty()) {
                b.append('[').append(q.getMatchingIndex()).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(q.getMatchingProperty());
            }
        }
        return b.length() == 0 ? "body" : b.toString();
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "";
        }
        return " (known: " + ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }

    private static String enumValues(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object c : type.getEnumConstants()) {
            String name = ((Enum<?>) c).name();
            try {
                JsonProperty p = type.getField(name).getAnnotation(JsonProperty.class);
                names.add(p == null ? name : p.value());
            } catch (NoSuchFieldException e) {
                names.add(name);
            }
        }
        return String.join(", ", names);
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        return "a " + type.getSimpleName();
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase();
    }

    private static String describe(IOException e) {
        if (e instanceof JsonParseException) {
            JsonParseException p = (JsonParseException) e;
            String msg = p.getOriginalMessage();
            if (p.getLocation() != null) {
                return msg + " (line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")";
            }
            return msg;
        }
        if (e instanceof JsonProcessingException) {
            return ((JsonProcessingException) e).getOriginalMessage();
        }
        return e.getMessage();
    }
}
