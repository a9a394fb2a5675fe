package io.datastream.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskGlobTest {
    @Test
    void idsAndGlobs() {
        assertThat(new TaskGlob("nginx").matches("nginx")).isTrue();
        assertThat(new TaskGlob("nginx").matches("nginx-access")).isFalse();
        assertThat(new TaskGlob("nginx-*").matches("nginx-access")).isTrue();
        assertThat(new TaskGlob("nginx-*").matches("nginx-")).isTrue();
        assertThat(new TaskGlob("nginx-*").matches("nginx")).isFalse();
        assertThat(new TaskGlob("*-access").matches("nginx-access")).isTrue();
        assertThat(new TaskGlob("web-??").matches("web-01")).isTrue();
        assertThat(new TaskGlob("web-??").matches("web-1")).isFalse();
        assertThat(new TaskGlob("a*b*c").matches("axxbyyc")).isTrue();
        assertThat(new TaskGlob("a*b*c").matches("axxbyy")).isFalse();
        assertThat(new TaskGlob("*").matches("anything")).isTrue();
        assertThat(new TaskGlob("*").matches(null)).isFalse();
    }
}
