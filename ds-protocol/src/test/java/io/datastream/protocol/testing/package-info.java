/** Test support shared by the protocol's tests (and, through the test-jar, other modules' tests). */
package io.datastream.protocol.testing;
