package io.datastream.agent.tail;

import io.datastream.agent.fingerprint.FileKey;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.batch.ReservedHeaders;
import io.datastream.registry.task.EventTime;
import io.datastream.registry.task.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A task as the tailer runs it: rules, files, streams and counters. Owned by the tailer thread. */
final class TaskRuntime {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TaskRuntime.class);
    /** A fingerprint of a given length, the key streams are matched by. */
    record FpKey(int length, long value) {
    }

    final String id;
    TaskSpec spec;
    LineRules rules;
    CodecType codec;
    Map<String, String> headers;
    /** Bumped when headers or the task change, so streams rebuild their batch source. */
    long version;
    TokenBucket bucket;
    long epoch;
    boolean parked;
    long parkedUntilMillis;
    boolean initialScanPending = true;
    boolean hadCheckpoints;
    boolean overLimit;
    List<String> scanErrors = List.of();
    /** Why this agent may not read the task's paths (paths.allow), or null. */
    String refused;
    long scanSeq;

    final Map<FileKey, TrackedFile> files = new HashMap<>();
    final Map<Long, FileStream> streams = new HashMap<>();
    /** Streams without a live inode, by the inode they were last read from. */
    final Map<FileKey, FileStream> dormantByKey = new HashMap<>();
    final Map<FpKey, List<FileStream>> byFingerprint = new HashMap<>();
    final TreeSet<Integer> fingerprintLengths = new TreeSet<>();
    /** Files waiting for their fingerprint (or copies), examined round-robin; removal is lazy (see TrackedFile.pendingResolve). */
    final java.util.ArrayDeque<TrackedFile> unresolved = new java.util.ArrayDeque<>();

    long linesRead;
    long bytesRead;
    final Drops drops = new Drops();
    /**
     * Bytes counted as dropped per compressed inode, so that a skipped file missing from one scan
     * (listed while logrotate renamed it) is not counted again when it shows up again. Bounded.
     */
    final Map<FileKey, Long> skippedByKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileKey, Long> eldest) {
            return size() > 16_384;
        }
    };
    long splitRecords;
    long errors;
    String lastError;

    TaskRuntime(TaskSpec spec, long nowMillis) {
        this.id = spec.id();
        apply(spec, nowMillis);
    }

    void apply(TaskSpec newSpec, long nowMillis) {
        this.spec = newSpec;
        this.rules = LineRules.of(newSpec);
        this.codec = CodecType.parse(newSpec.codec());
        Map<String, String> h = new LinkedHashMap<>();
        if (newSpec.topic() != null) {
            h.put(TaskSpec.TOPIC_HEADER, newSpec.topic());
        }
        eventTimeHeaders(newSpec.eventTime(), h);
        h.putAll(newSpec.headers());
        this.headers = h;
        long rate = newSpec.rateLimitBytesPerSec();
        this.bucket = rate > 0 ? (bucket != null && bucket.rate() == rate ? bucket : new TokenBucket(rate, nowMillis)) : null;
        this.version++;
    }

    /**
     * The reserved headers that tell the sink where the lines carry their event time: {@code ds.time}
     * always, {@code ds.time.pattern} with format pattern, {@code ds.time.zone} unless UTC. The batch's
     * first/last event times stay the read times (the sink's fallback).
     */
    static void eventTimeHeaders(EventTime et, Map<String, String> into) {
        into.put(ReservedHeaders.TIME_FORMAT, et.format().header());
        if (et.format() == EventTime.Format.PATTERN && et.pattern() != null) {
            into.put(ReservedHeaders.TIME_PATTERN, et.pattern());
        }
        if (!EventTime.DEFAULT_ZONE.equals(et.zone())) {
            into.put(ReservedHeaders.TIME_ZONE, et.zone());
        }
    }

    void index(FileStream s) {
        streams.put(s.streamId, s);
        byFingerprint.computeIfAbsent(new FpKey(s.fingerprintLength, s.fingerprint), k -> new ArrayList<>(1)).add(s);
        fingerprintLengths.add(s.fingerprintLength);
    }

    void unindex(FileStream s) {
        streams.remove(s.streamId);
        if (s.key != null) {
            dormantByKey.remove(s.key, s);
        }
        FpKey k = new FpKey(s.fingerprintLength, s.fingerprint);
        List<FileStream> l = byFingerprint.get(k);
        if (l != null) {
            l.remove(s);
            if (l.isEmpty()) {
                byFingerprint.remove(k);
                boolean stillUsed = false;
                for (FpKey other : byFingerprint.keySet()) {
                    if (other.length() == s.fingerprintLength) {
                        stillUsed = true;
                        break;
                    }
                }
                if (!stillUsed) {
                    fingerprintLengths.remove(s.fingerprintLength);
                }
            }
        }
    }

    private LineRules clamped;
    private int clampedTo;

    /** The task's rules with maxLineBytes lowered to {@code lineCap} when it is larger (cached). */
    LineRules rules(int lineCap) {
        if (rules.maxLineBytes() <= lineCap) {
            return rules;
        }
        if (clamped == null || clampedTo != lineCap || clamped.startPattern() != rules.startPattern()
                || clamped.split() != rules.split() || clamped.maxLines() != rules.maxLines()) {
            clamped = new LineRules(lineCap, rules.split(), rules.startPattern(), rules.maxLines(), rules.flushTimeoutMs());
            clampedTo = lineCap;
        }
        return clamped;
    }

    void queueResolve(TrackedFile f) {
        if (!f.pendingResolve) {
            f.pendingResolve = true;
            unresolved.add(f);
        }
    }

    /**
     * Counts bytes of {@code path} that will never be read, logs them at WARN (path, bytes, reason)
     * and makes them the task's last error.
     */
    void lost(io.datastream.registry.member.DropReason reason, Object path, long bytes, String why) {
        if (bytes <= 0) {
            return;
        }
        drops.add(reason, 0, bytes);
        String msg = "lost " + bytes + " unread bytes of " + path + " (" + reason.wireName() + "): " + why;
        error(msg);
        LOG.warn("task {}: {}", id, msg);
    }

    void error(String message) {
        errors++;
        lastError = message;
    }

    String state() {
        return refused != null ? "refused" : parked ? "parked" : "running";
    }
}
