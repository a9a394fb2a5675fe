/**
 * {@code ds doctor}: checks a host before or after installing a component, one line per check
 * with what to do when it fails.
 */
package io.datastream.deploy.doctor;
