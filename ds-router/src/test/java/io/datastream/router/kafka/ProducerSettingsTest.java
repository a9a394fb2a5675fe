package io.datastream.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.router.RouterConfig;
import io.datastream.router.config.RouteMode;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {
    private static Map<String, Object> settings(String yaml, RouteMode mode) {
        RouterConfig c = RouterConfig.fromYaml(yaml);
        return ProducerSettings.forMode(c.id(), c.kafka(), c.pool(), c.limits(), mode);
    }

    @Test
    void sendBufferIsTheOsDefaultInBothModesWithTheFixedGuarantees() {
        for (RouteMode mode : RouteMode.values()) {
            Map<String, Object> p = settings("id: r1", mode);
            assertThat(p).containsEntry(ProducerConfig.SEND_BUFFER_CONFIG, "-1")
                    .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                    .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "ds-router-r1-" + mode.configName());
        }
    }

    @Test
    void kafkaPropertiesOverrideTheSendBuffer() {
        Map<String, Object> p = settings("kafka: {properties: {send.buffer.bytes: \"131072\"}}", RouteMode.ENVELOPE);
        assertThat(p).containsEntry(ProducerConfig.SEND_BUFFER_CONFIG, "131072");
    }
}
