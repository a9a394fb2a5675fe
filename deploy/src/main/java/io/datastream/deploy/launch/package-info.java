/**
 * How the launcher fails: every startup failure a user can cause becomes one line that names the
 * cause and what fixes it ({@link io.datastream.deploy.launch.Failures}); a stack trace only with
 * {@code --verbose}.
 */
package io.datastream.deploy.launch;
