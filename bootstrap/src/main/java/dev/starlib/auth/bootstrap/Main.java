package dev.starlib.auth.bootstrap;

import io.helidon.logging.common.LogConfig;

import java.nio.file.Path;
import java.time.Clock;

/** Starts Starlib Auth with settings from the environment, {@code .env} and {@code application.yaml}. */
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
            System.err.println("Starlib Auth cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        log.log(System.Logger.Level.INFO, "starting with " + settings);
        StarlibAuth app;
        try {
            app = StarlibAuth.start(settings, Clock.systemUTC());
        } catch (SettingsLoader.InvalidSettingException | StarlibAuth.StartFailure e) {
            System.err.println("Starlib Auth cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(app::close));
        log.log(System.Logger.Level.INFO, "Starlib Auth listening on http://" + settings.host() + ":" + app.port()
                + "/auth/soundcloud");
        log.log(System.Logger.Level.INFO, "Operator dashboard on http://" + settings.host() + ":" + app.adminPort()
                + "/admin; probes and metrics at /observe/health and /observe/metrics on the same port");
    }
}
