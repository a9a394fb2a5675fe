/**
 * Benchmarks of the ds-protocol hot paths: building and compressing a batch (the agent's shipper)
 * and parsing, decompressing and walking one (the router and the Flink sink), on 1 MiB of
 * realistic log lines per batch, for every codec.
 */
package io.datastream.bench.protocol;
