package io.datastream.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.ErrorCode;
import io.datastream.router.RouterConfig;
import io.datastream.router.config.PartitionerKind;
import io.datastream.router.config.RouteMode;
import io.datastream.router.sim.BatchFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final BatchFixture fx = new BatchFixture();

    @AfterEach
    void release() {
        fx.close();
    }

    private static RouteTable table(String yaml) {
        return RouterConfig.fromYaml(yaml).routeTable();
    }

    @Test
    void firstMatchingRuleWins() {
        RouteTable t = table("""
                routes:
                  - when: 'header.logType == "jvm"'
                    topic: logs-jvm
                  - task: nginx
                    topic: logs-nginx
                    mode: lines
                    partitioner: round-robin
                  - when: 'host =~ "^web"'
                    topic: logs-web-{host}
                """);
        Resolution jvm = t.resolve(fx.batch("nginx", Map.of("logType", "jvm")));
        assertThat(jvm.topic()).isEqualTo("logs-jvm");
        assertThat(jvm.mode()).isEqualTo(RouteMode.ENVELOPE);
        assertThat(jvm.partitioner()).isEqualTo(PartitionerKind.SOURCE);
        Resolution nginx = t.resolve(fx.batch("nginx", Map.of()));
        assertThat(nginx.topic()).isEqualTo("logs-nginx");
        assertThat(nginx.mode()).isEqualTo(RouteMode.LINES);
        assertThat(nginx.partitioner()).isEqualTo(PartitionerKind.ROUND_ROBIN);
        assertThat(t.resolve(fx.batch("other", Map.of())).topic()).isEqualTo("logs-web-web-01");
    }

    @Test
    void aRuleCanPutBatchesIntoAChannel() {
        RouteTable t = table("""
                routes:
                  - task: app
                    channel: agents
                  - topic: logs-{task}
                httpSource:
                  enabled: true
                  defaultChannel: ""
                  channels: [{name: agents, format: batches}]
                  sinks: [{name: k, channel: agents, topic: agent-lines}]
                """);
        Resolution app = t.resolve(fx.batch("app", Map.of()));
        assertThat(app.routed()).isTrue();
        assertThat(app.toChannel()).isTrue();
        assertThat(app.channel()).isEqualTo("agents");
        assertThat(app.topic()).isNull();
        Resolution other = t.resolve(fx.batch("other", Map.of()));
        assertThat(other.toChannel()).isFalse();
        assertThat(other.topic()).isEqualTo("logs-other");
        assertThat(t.channels()).containsExactly("agents");
    }

    /** The rule of the shipped conf/router.yaml example: a glob of task ids. */
    @Test
    void aTaskGlobMatchesEveryTaskItNames() {
        RouteTable t = table("""
                routes:
                  - task: "nginx-*"
                    topic: web-access
                """);
        assertThat(t.resolve(fx.batch("nginx-access", Map.of())).topic()).isEqualTo("web-access");
        assertThat(t.resolve(fx.batch("nginx-error", Map.of())).topic()).isEqualTo("web-access");
        assertThat(t.resolve(fx.batch("nginx", Map.of())).topic()).isEqualTo("ds-nginx");
    }

    @Test
    void taskAndWhenMustBothMatch() {
        RouteTable t = table("""
                routes:
                  - task: app
                    when: 'header.env == "prod"'
                    topic: app-prod
                defaultRoute: {topic: ""}
                """);
        assertThat(t.resolve(fx.batch("app", Map.of("env", "prod"))).topic()).isEqualTo("app-prod");
        assertThat(t.resolve(fx.batch("app", Map.of("env", "dev"))).error()).isEqualTo(ErrorCode.NO_ROUTE);
        assertThat(t.resolve(fx.batch("web", Map.of("env", "prod"))).error()).isEqualTo(ErrorCode.NO_ROUTE);
    }

    @Test
    void theTopicHeaderComesAfterRulesAndBeforeTheDefault() {
        RouteTable t = table("""
                routes:
                  - when: 'header.logType == "audit"'
                    topic: audit
                """);
        assertThat(t.resolve(fx.batch("app", Map.of("ds.topic", "from-task"))).topic()).isEqualTo("from-task");
        assertThat(t.resolve(fx.batch("app", Map.of("ds.topic", "from-task", "logType", "audit"))).topic()).isEqualTo("audit");
        assertThat(t.resolve(fx.batch("app", Map.of())).topic()).isEqualTo("ds-app");
    }

    @Test
    void defaultTemplateUsesTheTask() {
        RouteTable t = table("{}");
        assertThat(t.resolve(fx.batch("default", Map.of())).topic()).isEqualTo("ds-default");
        RouteTable custom = table("defaultRoute: {topic: 'logs.{header.team}.{task}'}");
        assertThat(custom.resolve(fx.batch("api", Map.of("team", "payments"))).topic()).isEqualTo("logs.payments.api");
    }

    @Test
    void noRouteWhenNothingMatchesAndNoDefault() {
        RouteTable t = table("defaultRoute: {topic: ''}");
        Resolution r = t.resolve(fx.batch("app", Map.of()));
        assertThat(r.routed()).isFalse();
        assertThat(r.error()).isEqualTo(ErrorCode.NO_ROUTE);
        assertThat(r.message()).contains("app");
    }

    @Test
    void invalidTopicNamesAreRefused() {
        RouteTable t = table("defaultRoute: {topic: 'logs-{header.team}'}");
        // a header value with a space makes an invalid topic
        Resolution r = t.resolve(fx.batch("app", Map.of("team", "a b")));
        assertThat(r.error()).isEqualTo(ErrorCode.TOPIC_NOT_ALLOWED);
        Resolution h = t.resolve(fx.batch("app", Map.of("ds.topic", "bad/topic")));
        assertThat(h.error()).isEqualTo(ErrorCode.TOPIC_NOT_ALLOWED);
    }
}
