package io.datastream.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.registry.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** paths.allow on real directories and symlinks: refused tasks, symlinks out of the glob's root, counted once each. */
class PathPolicyTest {
    @TempDir
    Path dir;

    private static TaskSpec task(String id, String glob) {
        return TaskSpec.of(id, List.of(glob), "t");
    }

    @Test
    void aGlobOutsideTheAllowListIsRefusedAndCountedOnce() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("other/x.log"), "x\n");
        PathPolicy policy = new PathPolicy(List.of(allowed));
        GlobScanner scanner = new GlobScanner(100, policy);
        TaskSpec t = task("other", dir + "/other/*.log");
        ScanResult r = scanner.scan(t).result();
        scanner.scan(t);
        assertThat(r.files()).isEmpty();
        assertThat(r.refused()).isEqualTo("path '" + dir + "/other/*.log' is outside paths.allow [" + allowed + "]");
        assertThat(r.errors()).containsExactly(r.refused());
        assertThat(policy.counts()).isEqualTo(Map.of("other", Map.of(PathPolicy.Reason.OUTSIDE_ALLOW, 1L)));
    }

    @Test
    void theDefaultAllowListRefusesSecretsAndSystemTreesAlways() {
        PathPolicy byDefault = new PathPolicy(List.of(Path.of("/var/log")));
        assertThat(byDefault.refusal(task("shadow", "/etc/shadow"))).isEqualTo("path '/etc/shadow' is outside paths.allow [/var/log]");
        assertThat(byDefault.refusal(task("keys", "/root/.ssh/*"))).contains("outside paths.allow");
        assertThat(byDefault.refusal(task("nginx", "/var/log/nginx/*.log"))).isNull();
        PathPolicy everything = new PathPolicy(List.of(Path.of("/")));
        assertThat(everything.refusal(task("env", "/proc/1/environ"))).isEqualTo("path '/proc/1/environ' is under /proc, which an agent never reads");
        assertThat(everything.refusal(task("sys", "/sys/kernel/*"))).contains("under /sys");
        assertThat(everything.refusal(task("dev", "/dev/*"))).contains("under /dev");
        assertThat(everything.counts().get("env")).isEqualTo(Map.of(PathPolicy.Reason.SYSTEM, 1L));
    }

    @Test
    void aGlobRootThatIsASymlinkOutOfTheAllowListIsRefused() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(secret.resolve("key.log"), "k\n");
        Files.createSymbolicLink(allowed.resolve("app"), secret);
        PathPolicy policy = new PathPolicy(List.of(allowed));
        ScanResult r = new GlobScanner(100, policy).scan(task("app", allowed + "/app/*.log")).result();
        assertThat(r.files()).isEmpty();
        assertThat(r.refused()).isEqualTo("path '" + allowed + "/app/*.log' resolves to " + secret.toRealPath()
                + " (a symlink), outside paths.allow [" + allowed + "]");
    }

    @Test
    void fileSymlinksAreFollowedOnlyInsideTheGlobRoot() throws Exception {
        Path app = Files.createDirectories(dir.resolve("allowed/app"));
        Files.createDirectories(app.resolve("2024"));
        Files.writeString(app.resolve("a.log"), "a\n");
        Files.writeString(app.resolve("2024/today.log"), "t\n");
        Files.createSymbolicLink(app.resolve("current.log"), app.resolve("2024/today.log"));
        Path shadow = Files.writeString(dir.resolve("shadow"), "root:x\n");
        Files.createSymbolicLink(app.resolve("evil.log"), shadow);
        Files.createSymbolicLink(app.resolve("dangling.log"), dir.resolve("nothing"));
        PathPolicy policy = new PathPolicy(List.of(dir.resolve("allowed")));
        GlobScanner scanner = new GlobScanner(100, policy);
        ScanResult r = scanner.scan(task("app", app + "/*.log")).result();
        scanner.scan(task("app", app + "/*.log"));
        assertThat(r.refused()).isNull();
        assertThat(r.files()).extracting(f -> f.path().getFileName().toString()).containsExactlyInAnyOrder("a.log", "current.log");
        assertThat(policy.counts()).isEqualTo(Map.of("app", Map.of(PathPolicy.Reason.SYMLINK_OUTSIDE_ROOT, 1L)));
        // a glob naming a link: the task is refused when the link leads out of paths.allow ...
        ScanResult literal = scanner.scan(task("one", app + "/evil.log")).result();
        assertThat(literal.files()).isEmpty();
        assertThat(literal.refused()).contains("(a symlink), outside paths.allow");
        // ... and the link is not followed when it leads out of its own directory
        Path other = Files.createDirectories(dir.resolve("allowed/other"));
        Files.writeString(other.resolve("x.log"), "x\n");
        Files.createSymbolicLink(app.resolve("sideways.log"), other.resolve("x.log"));
        ScanResult sideways = scanner.scan(task("two", app + "/sideways.log")).result();
        assertThat(sideways.refused()).isNull();
        assertThat(sideways.files()).isEmpty();
        assertThat(policy.counts().get("two")).isEqualTo(Map.of(PathPolicy.Reason.SYMLINK_OUTSIDE_ROOT, 1L));
    }
}
