/**
 * Golden state: the generators of the checkpointed state committed under
 * {@code src/test/resources/golden/} (run by hand, once per state version) and the data they
 * wrote, which the migration tests restore.
 */
package io.datastream.sink.golden;
