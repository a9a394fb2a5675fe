package io.datastream.router.kafka;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.frame.AckStatus;

/** Told once per {@link Delivery} how it ended; called on any thread (a sender or a producer I/O thread). */
@FunctionalInterface
public interface DeliveryListener {
    /**
     * @param records Kafka records acknowledged (0 unless OK)
     */
    void delivered(Delivery delivery, AckStatus status, ErrorCode code, String message, int records);
}
