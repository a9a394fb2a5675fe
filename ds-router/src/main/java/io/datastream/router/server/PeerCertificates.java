package io.datastream.router.server;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/** The subject CN of the client certificate that TLS verified on a connection. */
final class PeerCertificates {
    private PeerCertificates() {
    }

    /** The CN of the peer's verified certificate, or null (no TLS, no certificate, no CN). */
    static String commonName(SslHandler ssl) {
        if (ssl == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
            return null;
        }
        try {
            LdapName dn = new LdapName(x.getSubjectX500Principal().getName());
            for (int i = dn.getRdns().size() - 1; i >= 0; i--) {
                Rdn rdn = dn.getRdns().get(i);
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
