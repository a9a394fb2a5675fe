/**
 * The file-queue channel ({@link io.datastream.router.channel.filequeue.FileQueueChannel}): events
 * in append-only, memory-mapped segment files ({@link io.datastream.router.channel.filequeue.SegmentLayout}),
 * checked and repaired on open ({@link io.datastream.router.channel.filequeue.SegmentScanner}), with one
 * atomically replaced position file per consumer ({@link io.datastream.router.channel.filequeue.PositionFile}).
 */
package io.datastream.router.channel.filequeue;
