package io.datastream.testkit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority in a directory, and the PEM certificates it issues, made by
 * running the JDK's {@code keytool} (no extra library). Keys are EC P-256, valid for two days.
 *
 * <pre>
 * TestPki ca = TestPki.create(dir, "test-ca");
 * TestPki.Issued router = ca.issue("router", "localhost", "dns:localhost", "ip:127.0.0.1");
 * TestPki.Issued agent = ca.issue("agent-1", "agent-1");
 * </pre>
 */
public final class TestPki {
    private static final String PASS = "changeit";
    private final Path dir;
    private final String name;
    private final Path store;
    private final Path caFile;

    /**
     * A certificate (PEM chain: the certificate, then the CA's) and its PKCS#8 PEM key.
     *
     * @param commonName the certificate's subject CN
     */
    public record Issued(String commonName, Path certFile, Path keyFile) {
    }

    private TestPki(Path dir, String name, Path store, Path caFile) {
        this.dir = dir;
        this.name = name;
        this.store = store;
        this.caFile = caFile;
    }

    /** Makes a CA named {@code name} (its files are {@code dir/name.*}). */
    public static TestPki create(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "bc:c", "-ext", "KU=keyCertSign,cRLSign",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASS, "-keypass", PASS);
        Path caFile = dir.resolve(name + ".crt.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASS, "-file", caFile.toString());
        return new TestPki(dir, name, store, caFile);
    }

    /** The CA certificate, PEM: what a peer trusts. */
    public Path caFile() {
        return caFile;
    }

    /**
     * Issues a certificate for server and client use.
     *
     * @param file       the files' base name in the directory
     * @param commonName the subject CN
     * @param sans       subject alternative names like {@code dns:localhost}, {@code ip:127.0.0.1} (none: no SAN extension)
     */
    public Issued issue(String file, String commonName, String... sans) throws IOException {
        Path leafStore = dir.resolve(name + "-" + file + ".p12");
        Files.deleteIfExists(leafStore);
        keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + commonName, "-storetype", "PKCS12", "-keystore", leafStore.toString(), "-storepass", PASS, "-keypass", PASS);
        Path csr = dir.resolve(name + "-" + file + ".csr");
        keytool("-certreq", "-alias", "leaf", "-keystore", leafStore.toString(), "-storepass", PASS, "-file", csr.toString());
        Path leafCert = dir.resolve(name + "-" + file + ".leaf.pem");
        List<String> gen = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASS,
                "-infile", csr.toString(), "-outfile", leafCert.toString(), "-validity", "2",
                "-ext", "KU=digitalSignature", "-ext", "EKU=serverAuth,clientAuth"));
        if (sans.length > 0) {
            gen.add("-ext");
            gen.add("SAN=" + String.join(",", sans));
        }
        keytool(gen.toArray(String[]::new));
        PrivateKey key;
        try (InputStream in = Files.newInputStream(leafStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            key = (PrivateKey) ks.getKey("leaf", PASS.toCharArray());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the key in " + leafStore + ": " + e.getMessage(), e);
        }
        Path certFile = dir.resolve(name + "-" + file + ".crt.pem");
        Files.writeString(certFile, Files.readString(leafCert, StandardCharsets.US_ASCII).strip() + "\n"
                + Files.readString(caFile, StandardCharsets.US_ASCII).strip() + "\n");
        Path keyFile = dir.resolve(name + "-" + file + ".key.pem");
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Issued(commonName, certFile, keyFile);
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
