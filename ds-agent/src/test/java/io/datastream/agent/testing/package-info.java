/** Test support: collecting outlets, line ledgers, log writers. */
package io.datastream.agent.testing;
