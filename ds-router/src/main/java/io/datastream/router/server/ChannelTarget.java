package io.datastream.router.server;

import io.datastream.protocol.batch.Batch;
import io.datastream.router.channel.Channel;
import io.datastream.router.event.Event;
import io.datastream.router.route.TopicTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel agents' batches are routed into ({@code routes[].channel}), with the topic templates
 * of its Kafka sinks: a batch is authorized and its topics checked against every topic it will
 * be written to, before it is stored.
 *
 * @param channel     the channel (of {@code format: batches})
 * @param kafkaTopics the topic templates of its Kafka sinks, over the batch's headers
 */
public record ChannelTarget(Channel channel, List<TopicTemplate<Event>> kafkaTopics) {
    public ChannelTarget {
        kafkaTopics = List.copyOf(kafkaTopics);
    }

    /** The topics the channel's Kafka sinks will write {@code batch} to. */
    List<String> topics(Batch batch) {
        Event headers = new Event(batch.headers(), new byte[0]);
        List<String> out = new ArrayList<>(kafkaTopics.size());
        for (TopicTemplate<Event> t : kafkaTopics) {
            out.add(t.expand(headers));
        }
        return out;
    }
}
