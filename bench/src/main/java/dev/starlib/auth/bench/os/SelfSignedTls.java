package dev.starlib.auth.bench.os;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate for the fake SoundCloud's TLS listener, made for one run with the JDK's {@code keytool}: a fresh
 * EC key, self-signed, for {@code 127.0.0.1} and {@code localhost} only, valid for two days; no network, no CA.
 * The key stays in {@link #keyStore()} (for the fake); {@link #trustStore()} holds only the certificate, and only
 * the benchmark's processes are told to trust it ({@link #trustingJvmOptions()}, {@link #trustingContext()}).
 * The passwords protect nothing secret: the key is thrown away with the run's output folder.
 */
public record SelfSignedTls(Path keyStore, Path trustStore, String password) {

    public static final String TYPE = "PKCS12";

    public static SelfSignedTls create(Path directory) {
        String password = "starlib-bench-" + Long.toHexString(System.nanoTime());
        Path keyStore = directory.resolve("fake-soundcloud-key.p12");
        Path certificate = directory.resolve("fake-soundcloud.crt");
        Path trustStore = directory.resolve("fake-soundcloud-trust.p12");
        try {
            Files.createDirectories(directory);
            for (Path old : List.of(keyStore, certificate, trustStore)) {
                Files.deleteIfExists(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keytool("-genkeypair", "-alias", "fake-soundcloud", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", TYPE, "-keystore", keyStore.toString(), "-storepass", password);
        keytool("-exportcert", "-rfc", "-alias", "fake-soundcloud", "-keystore", keyStore.toString(),
                "-storepass", password, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "fake-soundcloud", "-file", certificate.toString(),
                "-storetype", TYPE, "-keystore", trustStore.toString(), "-storepass", password);
        return new SelfSignedTls(keyStore, trustStore, password);
    }

    /** For a JVM the benchmark starts: its default trust becomes this certificate alone (the JDK's CAs are gone). */
    public List<String> trustingJvmOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStoreType=" + TYPE,
                "-Djavax.net.ssl.trustStorePassword=" + password);
    }

    /** For the load generator's clients. */
    public SSLContext trustingContext() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore trusted = KeyStore.getInstance(TYPE);
            trusted.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the benchmark's trust store cannot be read", e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
