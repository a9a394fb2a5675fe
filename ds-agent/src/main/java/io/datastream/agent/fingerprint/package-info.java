/**
 * File identity: content fingerprints (xxHash64 of the first N bytes), device/inode hints and
 * stat results.
 */
package io.datastream.agent.fingerprint;
