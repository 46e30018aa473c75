package dev.starlib.auth.bootstrap;

import sun.misc.Signal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM (a supervisor, {@code docker stop}, {@code kill}) and SIGINT (Ctrl-C) stop the service the way a
 * supervisor expects of a clean stop: no new connections, requests in flight finish within
 * {@code SHUTDOWN_GRACE_SECONDS}, the session store is closed, one "stopped" line, exit code 0. Left to the JVM,
 * a signal runs the shutdown hooks and exits 143 (or 130), which reads as a crash.
 * <p>
 * The JDK's only way to handle a signal is {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported for
 * exactly this kind of use). A second signal while stopping ends the process at once.
 */
final class GracefulStop {

    private static final System.Logger LOG = System.getLogger(GracefulStop.class.getName());
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final AutoCloseable service;
    private final Duration grace;
    private final AtomicBoolean stopping = new AtomicBoolean();

    private GracefulStop(AutoCloseable service, Duration grace) {
        this.service = service;
        this.grace = grace;
    }

    static void onSignals(AutoCloseable service, Duration grace) {
        GracefulStop stop = new GracefulStop(service, grace);
        for (String name : SIGNALS) {
            // The JDK runs a signal handler on a daemon thread: once the listeners stop, nothing else would keep the
            // JVM alive to close the store and say so. A non-daemon thread does, until its System.exit.
            Signal.handle(new Signal(name), signal -> Thread.ofPlatform().daemon(false).name("graceful-stop")
                    .start(() -> stop.stop("SIG" + signal.getName())));
        }
    }

    private void stop(String signal) {
        if (!stopping.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, signal + " again while stopping: stopping now, without waiting");
            AsyncConsoleHandler.flushInstalled(); // halt runs no shutdown hook: the log is written first
            Runtime.getRuntime().halt(1);
        }
        long started = System.nanoTime();
        watchdog(signal);
        int exit = 0;
        try {
            service.close();
        } catch (Exception e) {
            exit = 1;
            LOG.log(System.Logger.Level.ERROR, "stopping failed: " + e.getClass().getSimpleName());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.log(exit == 0 ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
                String.format(Locale.ROOT, "Starlib Auth stopped on %s after %.1f s: no longer listening, requests in "
                        + "flight given up to %d s to finish, session store closed", signal, seconds, grace.toSeconds()));
        System.exit(exit);
    }

    /**
     * A stop that outlives its grace by {@link #WATCHDOG_MARGIN} is stuck: say where every thread is (names and
     * frames only, nothing of a request), then end the process, so that a supervisor is never left waiting.
     */
    private void watchdog(String signal) {
        Duration limit = grace.plus(WATCHDOG_MARGIN);
        Thread.ofPlatform().daemon(true).name("graceful-stop-watchdog").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return;
            }
            StringBuilder dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, frames) -> {
                dump.append(System.lineSeparator()).append("  ").append(thread.getName()).append(' ')
                        .append(thread.getState());
                for (int i = 0; i < Math.min(frames.length, 12); i++) {
                    dump.append(System.lineSeparator()).append("      at ").append(frames[i]);
                }
            });
            LOG.log(System.Logger.Level.ERROR, "stopping on " + signal + " did not finish within "
                    + limit.toSeconds() + " s; ending the process. Threads:" + dump);
            AsyncConsoleHandler.flushInstalled();
            Runtime.getRuntime().halt(1);
        });
    }

    private static final Duration WATCHDOG_MARGIN = Duration.ofSeconds(10);
}
