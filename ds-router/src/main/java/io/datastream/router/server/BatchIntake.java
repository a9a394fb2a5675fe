package io.datastream.router.server;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.router.auth.Identity;
import io.datastream.router.auth.Refusal;
import io.datastream.router.auth.TaskAssignments;
import io.datastream.router.config.RouteMode;
import io.datastream.router.kafka.Delivery;
import io.datastream.router.kafka.KafkaSender;
import io.datastream.router.route.Resolution;
import io.datastream.router.route.Topics;
import io.datastream.router.channel.Channel;
import io.datastream.router.channel.PutResult;
import io.datastream.router.channel.SafeListener;
import io.datastream.router.channel.StoredEvent;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of a BATCH frame: validate (Batch.parse checks structure and CRC), authorize (a
 * restricted identity: the batch's agent id and host are the HELLO's, its task and topic are
 * allowed; internal topics never; with {@code auth.onlyAssignedTasks} the task is assigned to the
 * connection's host in ZooKeeper and the topic is the task's), route, reserve
 * its bytes in the pool, hand it to the Kafka sender of its route's mode, or put it into the
 * route's channel ({@code routes[].channel}; its sinks' topics authorized instead). Every refusal is an
 * ACK with a code, and the frame is released right away; an accepted frame is owned by its
 * {@link Delivery} until Kafka answers.
 */
final class BatchIntake {
    private static final Logger LOG = LoggerFactory.getLogger(BatchIntake.class);
    /**
     * Pool bytes a lines-mode batch holds besides its frame: its decompressed lines and this much
     * per line for the record, its headers and its key.
     */
    static final int LINE_RECORD_OVERHEAD = 256;

    private BatchIntake() {
    }

    static void accept(Connection conn, BatchFrame frame, ServerContext ctx) {
        int cost = frame.creditCost();
        ctx.metrics().batchIn(cost);
        if (conn.isDraining()) {
            refuse(conn, frame, AckStatus.RETRY_LATER, ErrorCode.SHUTTING_DOWN, "the router is shutting down; re-send elsewhere");
            return;
        }
        Batch batch;
        try {
            batch = Batch.parse(frame.content(), ctx.settings().limits());
        } catch (CorruptBatchException e) {
            AckStatus status = e.code().retriable() ? AckStatus.RETRY_LATER : AckStatus.REJECTED;
            refuse(conn, frame, status, e.code(), e.getMessage());
            return;
        }
        Identity who = conn.identity();
        TaskAssignments assignments = ctx.assignments();
        if ((who.restricted() || assignments != null) && (!batch.agentId().equals(conn.agentId()) || !batch.host().equals(conn.host()))) {
            // a forged batch: counted by the auth metrics, not in the task's minute reports
            notAuthorized(conn, frame, ctx, null, Refusal.BATCH_AGENT_ID, "the batch claims agent '" + batch.agentId() + "' on host '"
                    + batch.host() + "' but this connection is agent '" + conn.agentId() + "' on host '" + conn.host() + "'");
            return;
        }
        ctx.reports().received(batch);
        if (who.restricted() && !who.mayWriteTask(batch.taskId())) {
            notAuthorized(conn, frame, ctx, batch, Refusal.TASK, "credential '" + who.credential() + "' may not write task '"
                    + batch.taskId() + "'");
            return;
        }
        if (assignments != null) {
            TaskAssignments.Verdict v = assignments.check(conn.agentId(), conn.host(), batch.taskId());
            if (v == TaskAssignments.Verdict.NOT_LOADED) {
                ctx.reports().refused(batch, ErrorCode.OVERLOADED);
                refuse(conn, frame, AckStatus.RETRY_LATER, ErrorCode.OVERLOADED,
                        "the router has not loaded the task assignments from ZooKeeper yet; re-send later");
                return;
            }
            if (v != TaskAssignments.Verdict.ASSIGNED) {
                notAuthorized(conn, frame, ctx, batch, Refusal.UNASSIGNED, v == TaskAssignments.Verdict.UNKNOWN_TASK
                        ? "task '" + batch.taskId() + "' is not in ZooKeeper (auth.onlyAssignedTasks)"
                        : "task '" + batch.taskId() + "' is not assigned to host '" + conn.host() + "' (agent '" + conn.agentId()
                                + "') in ZooKeeper (auth.onlyAssignedTasks)");
                return;
            }
        }
        Resolution r = ctx.routes().resolve(batch);
        if (!r.routed()) {
            ctx.reports().refused(batch, r.error());
            refuse(conn, frame, AckStatus.REJECTED, r.error(), r.message());
            return;
        }
        ChannelTarget target = r.toChannel() ? ctx.channels().get(r.channel()) : null;
        for (String topic : target == null ? List.of(r.topic()) : target.topics(batch)) {
            if (target != null && !Topics.isValid(topic)) {
                ctx.reports().refused(batch, ErrorCode.TOPIC_NOT_ALLOWED);
                refuse(conn, frame, AckStatus.REJECTED, ErrorCode.TOPIC_NOT_ALLOWED, "channel " + r.channel() + ": a Kafka sink would write topic '"
                        + topic + "', not a valid Kafka topic name (" + Topics.RULE + ")");
                return;
            }
            if (!who.mayWriteTopic(topic)) {
                notAuthorized(conn, frame, ctx, batch, Refusal.TOPIC, topic.startsWith("__") ? "internal topic '" + topic
                        + "' is never writable" : "credential '" + who.credential() + "' may not write topic '" + topic + "'");
                return;
            }
            if (assignments != null && !assignments.topicAllowed(batch.taskId(), topic)) {
                notAuthorized(conn, frame, ctx, batch, Refusal.UNASSIGNED, "task '" + batch.taskId() + "' writes topic '"
                        + assignments.topicOf(batch.taskId()) + "', not '" + topic + "' (auth.onlyAssignedTasks)");
                return;
            }
        }
        if (target != null) {
            intoChannel(conn, frame, batch, r.channel(), target.channel(), ctx);
            return;
        }
        long reservation = r.mode() == RouteMode.LINES
                ? cost + (long) batch.uncompressedLength() + (long) batch.recordCount() * LINE_RECORD_OVERHEAD
                : cost;
        if (reservation > ctx.pool().capacity()) {
            ctx.reports().refused(batch, ErrorCode.BATCH_TOO_LARGE);
            refuse(conn, frame, AckStatus.REJECTED, ErrorCode.BATCH_TOO_LARGE, "the batch needs " + reservation
                    + " bytes of memory in lines mode, more than the whole pool (" + ctx.pool().capacity() + ")");
            return;
        }
        if (!ctx.pool().tryReserve(reservation)) {
            ctx.reports().refused(batch, ErrorCode.OVERLOADED);
            refuse(conn, frame, AckStatus.RETRY_LATER, ErrorCode.OVERLOADED, "the router's memory pool is full; re-send later");
            return;
        }
        Delivery d = new Delivery(frame, batch, r.topic(), r.mode(), ctx.strategies().get(r.partitioner()), reservation,
                ctx.nanoClock().getAsLong(), conn);
        KafkaSender sender = ctx.senders().get(r.mode());
        conn.accepted(cost, reservation);
        if (!sender.offer(d)) {
            // never queued: answer here, as if Kafka had refused it
            d.complete(AckStatus.RETRY_LATER, ErrorCode.OVERLOADED, "the router's Kafka queue is full; re-send later", 0);
        }
    }

    /**
     * Puts an authorized batch into a channel ({@code routes[].channel}) as one entry, its bytes as
     * the agent sent them, and ACKs it OK once the channel holds it safely by its guarantee
     * (file-queue channel: by its fsync policy; memory channel: once every sink committed it). A
     * channel without room answers RETRY_LATER (back-pressure; nothing is dropped). The frame's
     * credit cost is held in the pool until then, like a batch on its way to Kafka.
     */
    private static void intoChannel(Connection conn, BatchFrame frame, Batch batch, String name, Channel channel, ServerContext ctx) {
        byte[] data = ByteBufUtil.getBytes(batch.bytes());
        StoredEvent entry = new StoredEvent(data, data.length);
        int cost = frame.creditCost();
        if (entry.cost() > channel.capacityBytes()) {
            ctx.channelMetrics().count(name, ChannelRouteMetrics.Outcome.TOO_LARGE, 0);
            ctx.reports().refused(batch, ErrorCode.BATCH_TOO_LARGE);
            refuse(conn, frame, AckStatus.REJECTED, ErrorCode.BATCH_TOO_LARGE, "the batch (" + data.length
                    + " bytes) does not fit into channel " + name + " (capacityBytes " + channel.capacityBytes() + ")");
            return;
        }
        if (!ctx.pool().tryReserve(cost)) {
            ctx.reports().refused(batch, ErrorCode.OVERLOADED);
            refuse(conn, frame, AckStatus.RETRY_LATER, ErrorCode.OVERLOADED, "the router's memory pool is full; re-send later");
            return;
        }
        PutResult room = channel.reserve(entry.cost());
        if (room != PutResult.OK) {
            ctx.pool().release(cost);
            boolean closed = room == PutResult.CLOSED;
            ctx.channelMetrics().count(name, closed ? ChannelRouteMetrics.Outcome.CLOSED : ChannelRouteMetrics.Outcome.FULL, 0);
            ErrorCode code = closed ? ErrorCode.SHUTTING_DOWN : ErrorCode.OVERLOADED;
            ctx.reports().refused(batch, code);
            refuse(conn, frame, AckStatus.RETRY_LATER, code, closed ? "the router is shutting down; re-send elsewhere"
                    : "channel " + name + " is full; re-send later");
            return;
        }
        Delivery d = new Delivery(frame, batch, "channel:" + name, RouteMode.ENVELOPE, null, cost, ctx.nanoClock().getAsLong(), conn);
        int records = batch.recordCount();
        d.releaseBytes();
        conn.accepted(cost, cost);
        channel.put(List.of(entry), entry.cost(), new SafeListener() {
            @Override
            public void safe() {
                ctx.channelMetrics().count(name, ChannelRouteMetrics.Outcome.STORED, records);
                d.complete(AckStatus.OK, ErrorCode.NONE, "", records);
            }

            @Override
            public void notStored() {
                ctx.channelMetrics().count(name, ChannelRouteMetrics.Outcome.NOT_STORED, 0);
                d.complete(AckStatus.RETRY_LATER, ErrorCode.OVERLOADED, "channel " + name
                        + " could not store the batch (no segment file: disk full?); re-send later", 0);
            }
        });
    }

    /** An authorization refusal: counted by reason, logged at DEBUG (a hostile agent could flood the log), ACK REJECTED NOT_AUTHORIZED. */
    private static void notAuthorized(Connection conn, BatchFrame frame, ServerContext ctx, Batch batch, Refusal reason, String message) {
        ctx.authMetrics().refused(reason);
        if (batch != null) {
            ctx.reports().refused(batch, ErrorCode.NOT_AUTHORIZED);
        }
        LOG.debug("agent {}: {}", conn.agentId(), message);
        refuse(conn, frame, AckStatus.REJECTED, ErrorCode.NOT_AUTHORIZED, message);
    }

    private static void refuse(Connection conn, BatchFrame frame, AckStatus status, ErrorCode code, String message) {
        long id = frame.batchId();
        int cost = frame.creditCost();
        frame.release();
        conn.settle(id, cost, status, code, message);
    }
}
