package dev.starlib.auth.bootstrap;

import io.helidon.logging.common.LogConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Starts Starlib Auth with settings from the environment, {@code .env} and {@code application.yaml}. A start that
 * cannot succeed says why in one line on stderr and exits 2; SIGTERM or Ctrl-C stop it cleanly with exit 0.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        System.Logger log = System.getLogger(Main.class.getName());
        ServiceSettings settings;
        try {
            settings = SettingsLoader.load(System.getenv(), Path.of("").toAbsolutePath());
        } catch (SettingsLoader.InvalidSettingException e) {
            refuse(e);
            return;
        }
        log.log(System.Logger.Level.INFO, "starting with " + settings);
        StarlibAuth app;
        try {
            app = StarlibAuth.start(settings, Clock.systemUTC());
        } catch (SettingsLoader.InvalidSettingException | StarlibAuth.StartFailure e) {
            refuse(e);
            return;
        }
        GracefulStop.onSignals(app, settings.shutdownGrace());
        // Any other way out of the JVM (System.exit elsewhere, SIGHUP) still closes the store.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(app::close));
        String api = "http://" + urlHost(settings.host()) + ":" + app.port();
        String admin = "http://" + urlHost(settings.host()) + ":" + app.adminPort();
        // Only URLs that answer: the bare root is no page of ours.
        log.log(System.Logger.Level.INFO, "Starlib Auth listening on " + urlHost(settings.host()) + ":" + app.port()
                + everyInterface(settings.host())
                + ": a sign-in starts at " + api + "/auth/soundcloud/authorize; the API's contract is at " + api + "/openapi");
        log.log(System.Logger.Level.INFO, "Operators: dashboard " + admin + "/admin, health " + admin
                + "/observe/health, metrics " + admin + "/observe/metrics");
    }

    private static void refuse(RuntimeException e) {
        System.err.println("Starlib Auth cannot start: " + e.getMessage());
        System.exit(2);
    }

    /** A URL a browser on this machine can open: a wildcard address is reached over loopback. */
    static String urlHost(String host) {
        if (isWildcard(host)) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String everyInterface(String host) {
        return isWildcard(host) ? " (BACKEND_HOST=" + host + ": on every interface of this machine)" : "";
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false; // the settings resolved it a moment ago; keep it as configured
        }
    }
}
