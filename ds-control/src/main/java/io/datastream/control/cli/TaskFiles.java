package io.datastream.control.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Task files for {@code ds ctl}: one task per file, YAML or JSON (by extension: {@code .json}
 * is JSON, anything else YAML, which also reads most JSON), or {@code -} for standard input.
 * The file is sent to the API as JSON as it is: the server validates it.
 */
final class TaskFiles {
    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    static final YAMLMapper YAML_OUT = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private TaskFiles() {
    }

    /** Reads a task file; a missing or unparsable file is a usage error (exit code 2). */
    static ObjectNode read(CommandSpec spec, String file, InputStream stdin) {
        byte[] bytes;
        try {
            bytes = "-".equals(file) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "task file " + file + " does not exist");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read task file " + file + ": " + e.getMessage());
        }
        ObjectMapper mapper = file.toLowerCase().endsWith(".json") ? JSON : YAML;
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "task file " + file + " does not parse: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "task file " + file + " does not parse: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "task file " + file + " must hold one task (a mapping of keys)");
        }
        return (ObjectNode) tree;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String yaml(JsonNode node) {
        try {
            return YAML_OUT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
