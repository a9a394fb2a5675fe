package io.datastream.sink.deadletter;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.api.common.serialization.Encoder;

/**
 * One JSON object per line: {@code {"topic":..,"partition":..,"offset":..,"timestamp":..,
 * "stage":..,"error":..,"size":..,"value_base64":..}}.
 */
final class DeadLetterEncoder implements Encoder<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(DeadLetter d, OutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder(128 + d.value().length * 4 / 3);
        sb.append("{\"topic\":");
        quote(sb, d.topic());
        sb.append(",\"partition\":").append(d.partition());
        sb.append(",\"offset\":").append(d.offset());
        sb.append(",\"timestamp\":").append(d.timestamp());
        sb.append(",\"stage\":");
        quote(sb, d.stage());
        sb.append(",\"error\":");
        quote(sb, d.error());
        sb.append(",\"size\":").append(d.value().length);
        sb.append(",\"value_base64\":\"").append(Base64.getEncoder().encodeToString(d.value())).append("\"}\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s, sb);
        sb.append('"');
    }
}
