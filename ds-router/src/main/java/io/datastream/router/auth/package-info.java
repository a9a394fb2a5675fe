/**
 * Who may talk to the router and what they may write: agent credentials (the shared token,
 * per-agent tokens, mutual-TLS certificates) bound to agent ids and to the tasks and topics each
 * may write, and the refusal counters. Used by the server's handshake and batch intake.
 */
package io.datastream.router.auth;
