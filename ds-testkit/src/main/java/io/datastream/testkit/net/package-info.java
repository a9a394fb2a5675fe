/** Free loopback ports for tests. */
package io.datastream.testkit.net;
