package io.datastream.control.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TaskRequestsTest {
    private final TaskRequests requests = new TaskRequests(Pattern.compile("logs-.*"));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> failingFields(String body, String pathId) {
        try {
            requests.parse(b(body), pathId);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.fields().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void aValidTaskParsesWithDefaults() {
        TaskSpec spec = requests.parse(b("{\"id\":\"nginx\",\"paths\":[\"/var/log/nginx/*.log\"],\"topic\":\"logs-nginx\","
                + "\"hosts\":{\"hostnames\":[\"web-*\"],\"labels\":{\"env\":\"prod\"}},\"overLongLines\":\"split\"}"), null).spec();
        assertThat(spec.id()).isEqualTo("nginx");
        assertThat(spec.overLongLines()).isEqualTo(TaskSpec.OverLongLines.SPLIT);
        assertThat(spec.codec()).isEqualTo("lz4");
        assertThat(spec.hosts().labels()).containsEntry("env", "prod");
    }

    @Test
    void brokenJsonIsABodyError() {
        assertThat(failingFields("{\"id\": \"x\",", null)).containsExactly("body");
        assertThat(failingFields("", null)).containsExactly("body");
        assertThat(failingFields("[1,2]", null)).containsExactly("body");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"]} trailing", null)).containsExactly("body");
        assertThat(failingFields("{\"id\":\"a\",\"id\":\"b\",\"paths\":[\"/a\"]}", null)).containsExactly("body");
    }

    @Test
    void unknownFieldsAreNamedWithTheirPath() {
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"topik\":\"x\"}", null)).containsExactly("topik");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"hosts\":{\"hostname\":[\"x\"]}}", null))
                .containsExactly("hosts.hostname");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"multiline\":{\"startPattern\":\"^x\",\"max\":3}}", null))
                .containsExactly("multiline.max");
    }

    @Test
    void wrongTypesAreNotCoerced() {
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"maxLineBytes\":\"1024\"}", null)).containsExactly("maxLineBytes");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"maxLineBytes\":10.5}", null)).containsExactly("maxLineBytes");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"maxLineBytes\":99999999999}", null)).containsExactly("maxLineBytes");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":\"/a\"}", null)).containsExactly("paths");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"topic\":12}", null)).containsExactly("topic");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"codec\":true}", null)).containsExactly("codec");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\", 5]}", null)).containsExactly("paths[1]");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"headers\":{\"k\":1.5}}", null)).containsExactly("headers.k");
        assertThat(failingFields("{\"id\":7,\"paths\":[\"/a\"]}", null)).containsExactly("id");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"headers\":[\"x\"]}", null)).containsExactly("headers");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"overLongLines\":\"chop\"}", null)).containsExactly("overLongLines");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"multiline\":true}", null)).containsExactly("multiline");
    }

    @Test
    void nullsInsideListsAndMapsAreRefusedByName() {
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\",null]}", null)).containsExactly("paths[1]");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"headers\":{\"k\":null}}", null)).containsExactly("headers.k");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"hosts\":{\"labels\":{\"env\":null}}}", null))
                .containsExactly("hosts.labels.env");
    }

    @Test
    void validationNamesEveryFailingField() {
        assertThat(failingFields("{\"id\":\"-bad\",\"paths\":[\"relative/*.log\",\"/a/[\"],\"topic\":\"no spaces\","
                + "\"multiline\":{\"startPattern\":\"(unclosed\"},\"maxLineBytes\":3,\"codec\":\"gzip\","
                + "\"hosts\":{\"hostnames\":[\"web-[\"]}}", null))
                .contains("id", "paths[0]", "paths[1]", "topic", "multiline.startPattern", "maxLineBytes", "codec", "hosts.hostnames");
    }

    @Test
    void aTopicTheClusterDoesNotAllowIsRefused() {
        ApiException e = (ApiException) catchIt("{\"id\":\"a\",\"paths\":[\"/a\"],\"topic\":\"payments\"}");
        assertThat(e.fields()).extracting(FieldError::field).containsExactly("topic");
        assertThat(e.fields().get(0).message()).contains("not allowed").contains("logs-.*");
    }

    @Test
    void updateTakesTheIdFromThePathAndTheVersionFromTheBody() {
        TaskRequests.Parsed p = requests.parse(b("{\"paths\":[\"/a\"],\"version\":4}"), "web");
        assertThat(p.spec().id()).isEqualTo("web");
        assertThat(p.version()).isEqualTo(4);
        assertThat(failingFields("{\"id\":\"other\",\"paths\":[\"/a\"]}", "web")).containsExactly("id");
        assertThat(failingFields("{\"paths\":[\"/a\"],\"version\":\"4\"}", "web")).containsExactly("version");
        assertThat(failingFields("{\"id\":\"a\",\"paths\":[\"/a\"],\"version\":1}", null)).containsExactly("version");
    }

    private Exception catchIt(String body) {
        try {
            requests.parse(b(body), null);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void idsFromPathsFollowTheTaskIdRule() {
        assertThat(TaskRequests.idErrors("nginx-1.access")).isEmpty();
        assertThat(TaskRequests.idErrors("..")).isNotEmpty();
        assertThat(TaskRequests.idErrors("x".repeat(65))).isNotEmpty();
        assertThatThrownBy(() -> requests.parse(b("null"), null)).isInstanceOf(ApiException.class);
    }
}
