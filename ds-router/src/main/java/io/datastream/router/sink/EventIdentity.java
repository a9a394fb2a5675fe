package io.datastream.router.sink;

import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.batch.ReservedHeaders;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.event.ClientEventIds;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How the events of one channel look to the ds-flink-sink: as the lines of one file. Task id =
 * the channel's task, agent id = {@code router:<routerId>}, host = the router's host, path =
 * {@code http:<channel>}, fingerprint = a 64-bit hash of (router id, incarnation, channel), and
 * the offset of each event = its position in the channel. A line's identity (task, agent,
 * fingerprint, offset) so never repeats: positions are unique within an incarnation, and every
 * start is a new incarnation. The incarnation is the one that put the event into the channel
 * ({@link io.datastream.router.channel.ChannelRecord#incarnation()}), not the one reading it: an
 * event a file-queue channel delivers again after a restart keeps its identity, as long as the
 * router id and the channel's task stay the same.
 *
 * <p>Events with a client event id ({@link ClientEventIds}) are written in batches of their own
 * with the static header {@link ReservedHeaders#EVENT_IDS}: the Flink sink identifies each by
 * (task, client, id) on top of its position, so that a client's re-send is recognised too.
 */
public final class EventIdentity {
    private EventIdentity() {
    }

    /** The batch source of {@code channel}'s events in this incarnation. */
    public static BatchSource source(String routerId, Incarnation incarnation, String channel, String task, String host) {
        return new BatchSource(task, "router:" + routerId, host, "http:" + channel, fingerprint(routerId, incarnation, channel), Map.of());
    }

    /**
     * The batch sources of one channel's events, by the incarnation that put them; remembers the
     * last one (a channel's events come in long runs of one incarnation). One thread.
     */
    public static final class Sources {
        private final String routerId;
        private final String channel;
        private final String task;
        private final String host;
        private Incarnation last;
        private BatchSource lastSource;
        private BatchSource lastIdSource;

        public Sources(String routerId, String channel, String task, String host) {
            this.routerId = routerId;
            this.channel = channel;
            this.task = task;
            this.host = host;
        }

        public BatchSource of(Incarnation incarnation) {
            return of(incarnation, false);
        }

        /**
         * {@code eventIds}: the source of the events that carry a client event id: the same file
         * (fingerprint), with the static header {@link ReservedHeaders#EVENT_IDS} that tells the
         * Flink sink to identify them by their id ({@link ClientEventIds}). A batch holds events
         * of one kind only.
         */
        public BatchSource of(Incarnation incarnation, boolean eventIds) {
            if (!incarnation.equals(last)) {
                lastSource = source(routerId, incarnation, channel, task, host);
                lastIdSource = withEventIds(lastSource);
                last = incarnation;
            }
            return eventIds ? lastIdSource : lastSource;
        }

        /**
         * The batch source of a shaped channel's events of one group going to one topic
         * ({@link #groupFingerprint}); the last {@value #GROUP_CACHE} are remembered.
         */
        public BatchSource ofGroup(Incarnation incarnation, String topic, String group) {
            return ofGroup(incarnation, topic, group, false);
        }

        /**
         * {@code eventIds}: the events of the group that carry a client event id, as a file of
         * their own ({@link #groupFingerprint} continued over a marker) whose batches have the
         * static header {@link ReservedHeaders#EVENT_IDS}.
         */
        public BatchSource ofGroup(Incarnation incarnation, String topic, String group, boolean eventIds) {
            GroupKey k = new GroupKey(incarnation, topic, group, eventIds);
            BatchSource s = groups.get(k);
            if (s == null) {
                long fp = groupFingerprint(routerId, incarnation, channel, topic, group);
                s = new BatchSource(task, "router:" + routerId, host, "http:" + channel, eventIds ? finish(mix(fp, ID_MARK)) : fp, Map.of());
                if (eventIds) {
                    s = withEventIds(s);
                }
                groups.put(k, s);
            }
            return s;
        }

        private record GroupKey(Incarnation incarnation, String topic, String group, boolean eventIds) {
        }

        private static final int GROUP_CACHE = 4096;
        private final Map<GroupKey, BatchSource> groups = new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<GroupKey, BatchSource> eldest) {
                return size() > GROUP_CACHE;
            }
        };
    }

    private static final byte[] ID_MARK = {0, 'i', 'd'};

    private static BatchSource withEventIds(BatchSource s) {
        return new BatchSource(s.taskId(), s.agentId(), s.host(), s.path(), s.fingerprint(),
                Map.of(ReservedHeaders.EVENT_IDS, ReservedHeaders.EVENT_IDS_V1));
    }

    /**
     * The fingerprint of a shaped channel's events of one group (value of the channel's
     * {@code shape.groupBy} header, "" when missing) going to one topic: {@link #fingerprint}'s
     * hash continued over a separator, the topic and the group value. Each (group, topic) is so a
     * file of its own for the Flink sink, whose offsets are the channel positions of its events
     * only: the gaps of a shaped batch, which step over the positions of other groups' events,
     * never cover another file's event.
     */
    public static long groupFingerprint(String routerId, Incarnation incarnation, String channel, String topic, String group) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, routerId.getBytes(StandardCharsets.UTF_8));
        h = mix(h, new byte[] {0});
        h = mixLong(h, incarnation.random());
        h = mixLong(h, incarnation.startMillis());
        h = mix(h, channel.getBytes(StandardCharsets.UTF_8));
        h = mix(h, new byte[] {0, 's'});
        h = mix(h, topic.getBytes(StandardCharsets.UTF_8));
        h = mix(h, new byte[] {0});
        h = mix(h, group.getBytes(StandardCharsets.UTF_8));
        return finish(h);
    }

    /** FNV-1a over the router id, the incarnation and the channel name, then murmur3's 64-bit finalizer. */
    public static long fingerprint(String routerId, Incarnation incarnation, String channel) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, routerId.getBytes(StandardCharsets.UTF_8));
        h = mix(h, new byte[] {0});
        h = mixLong(h, incarnation.random());
        h = mixLong(h, incarnation.startMillis());
        h = mix(h, channel.getBytes(StandardCharsets.UTF_8));
        return finish(h);
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long mix(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static long mixLong(long h, long v) {
        for (int i = 56; i >= 0; i -= 8) {
            h ^= (v >>> i) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
