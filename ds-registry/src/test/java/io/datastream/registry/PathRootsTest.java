package io.datastream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.registry.task.PathRoots;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathRootsTest {
    @Test
    void theRootIsTheFixedLeadingDirectories() {
        assertThat(PathRoots.root("/var/log/nginx/*.log")).isEqualTo(Path.of("/var/log/nginx"));
        assertThat(PathRoots.root("/var/log/app.log")).isEqualTo(Path.of("/var/log/app.log"));
        assertThat(PathRoots.root("/var/*/x.log")).isEqualTo(Path.of("/var"));
        assertThat(PathRoots.root("/**/*.log")).isEqualTo(Path.of("/"));
    }

    @Test
    void aGlobIsAllowedOnlyInsideAnAllowedDirectoryAndNeverUnderSystemDirectories() {
        List<String> allow = List.of("/var/log", "/srv/app/logs");
        assertThat(PathRoots.allowed("/var/log/nginx/*.log", allow)).isTrue();
        assertThat(PathRoots.allowed("/srv/app/logs/**/*.log", allow)).isTrue();
        assertThat(PathRoots.allowed("/var/logs-other/*.log", allow)).isFalse();
        assertThat(PathRoots.allowed("/etc/shadow", allow)).isFalse();
        assertThat(PathRoots.allowed("/var/*/x.log", allow)).isFalse();
        assertThat(PathRoots.allowed("/proc/1/environ", List.of("/"))).isFalse();
        assertThat(PathRoots.system("/sys/kernel/*")).isEqualTo(Path.of("/sys"));
        assertThat(PathRoots.system("/var/log/*.log")).isNull();
    }
}
