/**
 * Who may use the control API: roles ({@link io.datastream.control.auth.Role}), named API tokens
 * with a role whose secrets come inline, from a file or from an environment variable
 * ({@link io.datastream.control.auth.ApiToken}), resolved once at start into
 * {@link io.datastream.control.auth.Credentials}. The HTTP checks live in the api package.
 */
package io.datastream.control.auth;
