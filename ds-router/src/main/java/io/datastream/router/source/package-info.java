/**
 * The router's HTTP event source: {@code POST /v1/events} for applications and SDKs, started with
 * its channels and sinks as one {@link io.datastream.router.source.EventPipeline}; why a request
 * was refused is a {@link io.datastream.router.source.Refusal}. The Netty handlers live in
 * {@code .internal}.
 */
package io.datastream.router.source;
