/** Benchmarks of the router's channels: the file-queue channel against a plain sequential file write. */
package io.datastream.bench.channel;
