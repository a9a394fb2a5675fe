/** Certificates for TLS tests: a throwaway CA and the certificates it issues, made with the JDK's keytool. */
package io.datastream.testkit.tls;
