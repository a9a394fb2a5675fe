/**
 * Submitting the sink job to a Flink cluster the user runs, through the JobManager's REST API
 * (the jar handlers {@code /jars/upload} and {@code /jars/{id}/run}, the same ones the web UI
 * uses): {@link io.datastream.deploy.flink.FlinkRest} is a small blocking client for those and
 * for the job and checkpoint overviews; {@code ds sink --submit} uses it.
 */
package io.datastream.deploy.flink;
