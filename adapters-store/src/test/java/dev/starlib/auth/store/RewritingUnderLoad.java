package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.create;
import static dev.starlib.auth.store.LoginSteps.pickUp;
import static dev.starlib.auth.store.LoginSteps.saveResult;
import static dev.starlib.auth.store.Logins.T0;

/**
 * The process {@link FileStoreKilledDuringRewritesTest} kills: a file store on the directory in {@code args[0]},
 * sealed under the base64 key in {@code args[1]}, with users taking logins step by step while the main thread
 * rewrites the log again and again. Prints, one line each, {@code sent KEY STEP} before a step and {@code ack KEY
 * STEP} once the store acknowledged it, and {@code rewrote} after each rewrite.
 */
final class RewritingUnderLoad {

    static final String[] STEPS = {"created", "consumed", "finished", "picked-up"};

    private RewritingUnderLoad() {
    }

    public static void main(String[] args) throws Exception {
        FileSessionStore store = FileSessionStore.open(Path.of(args[0]), Optional.of(StoreKey.fromBase64(args[1])),
                1_000_000, AuthEvents.NONE, new FileSessionStore.Options(true, 0,
                        FileSessionStore.Options.DEFAULTS.preallocationBytes()));
        PrintStream out = new PrintStream(System.out, false, java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 3_000; i++) { // enough to copy that a rewrite takes a while
            create(store, Logins.pending(T0));
        }
        for (int user = 0; user < 4; user++) {
            Thread.ofPlatform().daemon().start(() -> {
                while (true) {
                    login(store, out);
                }
            });
        }
        while (true) {
            store.compact();
            say(out, "rewrote");
        }
    }

    private static void login(FileSessionStore store, PrintStream out) {
        PendingAuthorization login = Logins.pending(T0);
        String key = login.key().hex();
        int last = Math.floorMod(login.stateHint().hashCode(), STEPS.length);
        step(out, key, 0, () -> {
            if (!(create(store, login) instanceof dev.starlib.auth.application.port.SessionStore.Creation.Created)) {
                throw new IllegalStateException("not created");
            }
        });
        if (last >= 1) {
            step(out, key, 1, () -> {
                if (!(consume(store, login.key(), T0.plusSeconds(1)) instanceof OAuthSession.Consumption.Consumed)) {
                    throw new IllegalStateException("not consumed");
                }
            });
        }
        FinishedLogin result = Logins.succeeded(login, T0.plusSeconds(1), StoreFixtures.RESULT_TTL);
        if (last >= 2) {
            step(out, key, 2, () -> saveResult(store, result));
        }
        if (last >= 3) {
            step(out, key, 3, () -> {
                if (!(pickUp(store, login.key(), T0.plusSeconds(2)) instanceof OAuthSession.PickUp.Ready)) {
                    throw new IllegalStateException("not handed out");
                }
            });
        }
    }

    private static void step(PrintStream out, String key, int step, Runnable take) {
        say(out, "sent " + key + " " + STEPS[step]);
        take.run();
        say(out, "ack " + key + " " + STEPS[step]);
    }

    private static void say(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
