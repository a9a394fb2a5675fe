package io.datastream.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameGlobTest {
    @Test
    void idsAndGlobs() {
        assertThat(new NameGlob("nginx").matches("nginx")).isTrue();
        assertThat(new NameGlob("nginx").matches("nginx-access")).isFalse();
        assertThat(new NameGlob("nginx-*").matches("nginx-access")).isTrue();
        assertThat(new NameGlob("nginx-*").matches("nginx-")).isTrue();
        assertThat(new NameGlob("nginx-*").matches("nginx")).isFalse();
        assertThat(new NameGlob("*-access").matches("nginx-access")).isTrue();
        assertThat(new NameGlob("web-??").matches("web-01")).isTrue();
        assertThat(new NameGlob("web-??").matches("web-1")).isFalse();
        assertThat(new NameGlob("a*b*c").matches("axxbyyc")).isTrue();
        assertThat(new NameGlob("a*b*c").matches("axxbyy")).isFalse();
        assertThat(new NameGlob("*").matches("anything")).isTrue();
        assertThat(new NameGlob("*").matches(null)).isFalse();
    }
}
