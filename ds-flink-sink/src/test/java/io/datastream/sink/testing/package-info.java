/** Test support: simulated source files cut into real envelopes, output file readers. */
package io.datastream.sink.testing;
