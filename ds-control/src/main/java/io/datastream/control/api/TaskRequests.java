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
import io.datastream.config.ConfigBinder;
import io.datastream.config.ConfigProblem;
import io.datastream.config.Problems;
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
 * JSON is read strictly (duplicate keys and trailing data refused) and bound by the shared
 * configuration binder, like the agent's local tasks: unknown fields, wrong types (no coercion of
 * "5" into 5, 5.5 into 5 or 5 into "5"), unknown enum values and nulls inside lists and maps are
 * all reported at once, together with what {@link TaskSpec#validate()} finds (ids, globs, topic
 * names, regexes, limits) and the topic checked against the cluster's {@code allowedTopics}.
 */
final class TaskRequests {
    /** Tasks bind like every configuration section: every problem of the body at once, with its field path. */
    private static final ConfigBinder TASKS = ConfigBinder.strict().textOnlyStrings();

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
        if (pathId != null) {
            JsonNode id = obj.get("id");
            if (id == null || id.isNull()) {
                obj.put("id", pathId);
            } else if (!id.isTextual() || !id.textValue().equals(pathId)) {
                throw ApiException.badField("id", "'" + id.asText() + "' does not match the task id in the path, '" + pathId + "'");
            }
        }
        Problems problems = Problems.root();
        TaskSpec spec = TASKS.bind(TaskSpec.class, obj, problems);
        List<FieldError> errors = new ArrayList<>();
        for (ConfigProblem p : problems.list()) {
            errors.add(new FieldError(p.path().isEmpty() ? "body" : p.path(), p.message()));
        }
        if (spec == null) {
            throw invalid(errors);
        }
        for (FieldError e : spec.validate()) {
            // a field that did not bind took its default: its own problem is already there
            if (errors.stream().noneMatch(b -> e.field().equals(b.field()) || e.field().startsWith(b.field() + ".")
                    || e.field().startsWith(b.field() + "["))) {
                errors.add(e);
            }
        }
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
