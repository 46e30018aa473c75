package dev.starlib.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One login, keyed by the hash of its state, in each stage it can reach, and the rules for moving on:
 * <pre>
 *   Pending --consume--> Exchanging --finish--> Finished (success or failure) --pickUp--> PickedUp
 *      |--cancel--> Cancelled
 *      '--consume at or after its expiry--> Expired
 * </pre>
 * The transitions ({@link #consume}, {@link #finish}, {@link #pickUp}, {@link #cancel}) are pure functions of
 * the stage stored under a key: each returns a {@link Step}, the stage that follows and the answer for the
 * caller. A store applies one transition per key at a time and keeps what {@link Step#kept()} says; it never
 * decides what a stage means. Cancelled and Expired sessions have ended: they hold nothing and are never kept.
 * <p>
 * Only {@link Pending} and {@link Finished} hold what a caller gets back (the verifier; the tokens). The two
 * markers keep just enough to answer "already used" or "already picked up" and to show operators.
 */
public sealed interface OAuthSession {

    StateHash key();

    /** The state's first 8 characters: all that operators and logs ever see of it. */
    String stateHint();

    /** The origin of the login's return_to; empty when it is not known (a result that outlived its marker). */
    String returnToOrigin();

    /** When this session's current stage began, as operators see it. */
    Instant since();

    /** Until when this session must be kept; a store may forget it from then on. */
    Instant expiresAt();

    Stage stage();

    /** Who started the login ({@link ClientKey#UNKNOWN} for sessions stored before clients were kept). */
    ClientKey client();

    default boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt());
    }

    /**
     * Whether this stage can still give something out: a pending login its verifier (to one code exchange), a
     * finished one its result (to one pickup). A lost record after such a stage could have been the one that
     * used it up, so a store that cannot read its history must withhold it.
     */
    default boolean handsSomethingOut() {
        return this instanceof Pending || this instanceof Finished;
    }

    /**
     * Whether this session takes one of its client's places ({@code PENDING_PER_CLIENT}) at {@code now}: a login
     * still waiting for SoundCloud does, until it expires. Once SoundCloud has sent the user back the login is
     * the user's, and a finished one costs its client nothing: the quota bounds what one client can park in the
     * store, not how often it signs in (the rate limits do that).
     */
    default boolean takesAClientPlaceAt(Instant now) {
        return this instanceof Pending && client().known() && !isExpiredAt(now);
    }

    /** What an operator may see of this session: never the state, a verifier or a token. */
    default SessionSummary summary() {
        return new SessionSummary(key(), stateHint(), stage(), returnToOrigin(), since(), expiresAt());
    }

    enum Stage {
        PENDING, EXCHANGING, FINISHED, PICKED_UP, CANCELLED, EXPIRED;

        /** An ended session holds nothing and answers nothing: no store keeps one. */
        public boolean ended() {
            return this == CANCELLED || this == EXPIRED;
        }
    }

    // --- the stages ---------------------------------------------------------------------------------------

    /** Started, waiting for SoundCloud to send the user back. Holds the PKCE verifier. */
    record Pending(PendingAuthorization authorization) implements OAuthSession {

        public Pending {
            Objects.requireNonNull(authorization, "authorization");
        }

        @Override
        public StateHash key() {
            return authorization.key();
        }

        @Override
        public String stateHint() {
            return authorization.stateHint();
        }

        @Override
        public String returnToOrigin() {
            return authorization.returnTo().origin().toString();
        }

        @Override
        public Instant since() {
            return authorization.createdAt();
        }

        @Override
        public ClientKey client() {
            return authorization.client();
        }

        @Override
        public Instant expiresAt() {
            return authorization.expiresAt();
        }

        @Override
        public Stage stage() {
            return Stage.PENDING;
        }
    }

    /**
     * Consumed: the verifier went to the code exchange and is no longer kept. The marker lasts the result TTL
     * from the consume, long enough for the result to be saved over it.
     */
    record Exchanging(StateHash key, String stateHint, String returnToOrigin, Instant since, Instant expiresAt,
                      ClientKey client) implements OAuthSession {

        public Exchanging {
            requireMarker(key, stateHint, returnToOrigin, since, expiresAt);
            Objects.requireNonNull(client, "client");
        }

        public Exchanging(StateHash key, String stateHint, String returnToOrigin, Instant since, Instant expiresAt) {
            this(key, stateHint, returnToOrigin, since, expiresAt, ClientKey.UNKNOWN);
        }

        @Override
        public Stage stage() {
            return Stage.EXCHANGING;
        }
    }

    /** Answered by SoundCloud, with tokens or a failure, waiting for its one pickup. */
    record Finished(FinishedLogin login, String returnToOrigin, ClientKey client) implements OAuthSession {

        public Finished {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(returnToOrigin, "returnToOrigin");
            Objects.requireNonNull(client, "client");
        }

        public Finished(FinishedLogin login, String returnToOrigin) {
            this(login, returnToOrigin, ClientKey.UNKNOWN);
        }

        @Override
        public StateHash key() {
            return login.key();
        }

        @Override
        public String stateHint() {
            return login.stateHint();
        }

        @Override
        public Instant since() {
            return login.finishedAt();
        }

        @Override
        public Instant expiresAt() {
            return login.expiresAt();
        }

        @Override
        public Stage stage() {
            return Stage.FINISHED;
        }
    }

    /** Handed out; kept until the result would have expired, so that a second pickup is told so. */
    record PickedUp(StateHash key, String stateHint, String returnToOrigin, Instant since, Instant expiresAt)
            implements OAuthSession {

        public PickedUp {
            requireMarker(key, stateHint, returnToOrigin, since, expiresAt);
        }

        @Override
        public Stage stage() {
            return Stage.PICKED_UP;
        }

        /** A marker hands nothing out, so it needs no client. */
        @Override
        public ClientKey client() {
            return ClientKey.UNKNOWN;
        }
    }

    /** Dropped by an operator before SoundCloud sent the user back. Ended: nothing is kept. */
    record Cancelled(StateHash key, String stateHint, String returnToOrigin, Instant since) implements OAuthSession {

        public Cancelled {
            requireMarker(key, stateHint, returnToOrigin, since, since);
        }

        @Override
        public Instant expiresAt() {
            return since;
        }

        @Override
        public Stage stage() {
            return Stage.CANCELLED;
        }

        /** A marker hands nothing out, so it needs no client. */
        @Override
        public ClientKey client() {
            return ClientKey.UNKNOWN;
        }
    }

    /** Reached its expiry before the step that was asked of it. Ended: nothing is kept. */
    record Expired(StateHash key, String stateHint, String returnToOrigin, Instant since) implements OAuthSession {

        public Expired {
            requireMarker(key, stateHint, returnToOrigin, since, since);
        }

        @Override
        public Instant expiresAt() {
            return since;
        }

        @Override
        public Stage stage() {
            return Stage.EXPIRED;
        }

        /** A marker hands nothing out, so it needs no client. */
        @Override
        public ClientKey client() {
            return ClientKey.UNKNOWN;
        }
    }

    // --- the transitions ----------------------------------------------------------------------------------

    /**
     * A state comes back from SoundCloud ({@code /redirect}) or from the frontend ({@code /callback}): the
     * pending login is taken exactly once, and its verifier handed to the code exchange.
     *
     * @param resultTtl how long the consumed marker lasts: the code exchange must finish within it
     */
    static Transition<Consumption> consume(Instant now, Duration resultTtl) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(resultTtl, "resultTtl");
        return current -> switch (current) {
            case null -> Step.stay(null, Consumption.rejected(StateRejection.UNKNOWN));
            case Pending pending when pending.isExpiredAt(now) ->
                    Step.become(current, expired(pending, now), Consumption.rejected(StateRejection.EXPIRED));
            case Pending pending -> Step.become(current,
                    new Exchanging(pending.key(), pending.stateHint(), pending.returnToOrigin(), pending.since(),
                            now.plus(resultTtl), pending.client()),
                    new Consumption.Consumed(pending.authorization()));
            case Cancelled ended -> Step.stay(current, Consumption.rejected(StateRejection.UNKNOWN));
            case Expired ended -> Step.stay(current, Consumption.rejected(StateRejection.UNKNOWN));
            case OAuthSession marker when marker.isExpiredAt(now) ->
                    Step.become(current, expired(marker, now), Consumption.rejected(StateRejection.UNKNOWN));
            case OAuthSession marker -> Step.stay(marker, Consumption.rejected(StateRejection.ALREADY_USED));
        };
    }

    /**
     * SoundCloud has answered a consumed login: its outcome waits for one pickup. When the consumed marker is
     * gone (the exchange outlived it), the result is kept all the same: the user's result matters more than
     * the store's capacity. A result for a login that was never consumed, or a second result, is a bug.
     */
    static Transition<FinishedLogin> finish(FinishedLogin login) {
        return finish(login, ClientKey.UNKNOWN);
    }

    /**
     * As {@link #finish(FinishedLogin)}, for a login started by {@code startedBy}: the result stays bound to that
     * client even when the consumed marker (which also remembers it) is gone, so a bound pickup cannot be escaped
     * by an exchange that outlived its marker.
     */
    static Transition<FinishedLogin> finish(FinishedLogin login, ClientKey startedBy) {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(startedBy, "startedBy");
        return current -> switch (current) {
            case null -> Step.become(null, new Finished(login, "", startedBy), login);
            case Cancelled ended -> Step.become(current, new Finished(login, "", startedBy), login);
            case Expired ended -> Step.become(current, new Finished(login, "", startedBy), login);
            case Exchanging marker -> Step.become(current, new Finished(login, marker.returnToOrigin(),
                    marker.client().known() ? marker.client() : startedBy), login);
            case Pending pending -> throw new IllegalStateException(
                    "a result for state " + login.stateHint() + "… arrived before the login was consumed");
            case Finished earlier -> throw secondResult(login);
            case PickedUp earlier -> throw secondResult(login);
        };
    }

    /** The frontend polls {@code /result}: a finished login is handed out exactly once. */
    static Transition<PickUp> pickUp(Instant now) {
        return pickUp(now, Optional.empty());
    }

    /**
     * As {@link #pickUp(Instant)}, bound to a client ({@code PICKUP_BINDING=client}): a finished login is handed
     * out only to the client that started it. Another client is refused and the result stays for its owner; a
     * login whose client is not known (stored before clients were kept) is handed out as without binding.
     *
     * @param pickedUpBy the client asking, or empty when pickups are not bound
     */
    static Transition<PickUp> pickUp(Instant now, Optional<ClientKey> pickedUpBy) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(pickedUpBy, "pickedUpBy");
        return current -> switch (current) {
            case null -> Step.stay(null, new PickUp.NotReady());
            case Finished result when result.isExpiredAt(now) ->
                    Step.become(current, expired(result, now), new PickUp.NotReady());
            case Finished result when foreign(result, pickedUpBy) -> Step.stay(result, new PickUp.OtherClient());
            case Finished result -> Step.become(current,
                    new PickedUp(result.key(), result.stateHint(), result.returnToOrigin(), result.since(),
                            result.expiresAt()),
                    new PickUp.Ready(result.login()));
            case PickedUp marker when marker.isExpiredAt(now) ->
                    Step.become(current, expired(marker, now), new PickUp.NotReady());
            case PickedUp marker -> Step.stay(marker, new PickUp.AlreadyPickedUp());
            // Not finished yet: the desktop app keeps polling.
            case Pending waiting -> Step.stay(waiting, new PickUp.NotReady());
            case Exchanging marker -> Step.stay(marker, new PickUp.NotReady());
            case Cancelled ended -> Step.stay(current, new PickUp.NotReady());
            case Expired ended -> Step.stay(current, new PickUp.NotReady());
        };
    }

    /** An operator drops a login that is still waiting for SoundCloud; one that is underway is left alone. */
    static Transition<Cancellation> cancel(Instant now) {
        Objects.requireNonNull(now, "now");
        return current -> switch (current) {
            case null -> Step.stay(null, new Cancellation.Gone());
            case Cancelled ended -> Step.stay(current, new Cancellation.Gone());
            case Expired ended -> Step.stay(current, new Cancellation.Gone());
            case OAuthSession session when session.isExpiredAt(now) ->
                    Step.become(current, expired(session, now), new Cancellation.Gone());
            case Pending pending -> Step.become(current,
                    new Cancelled(pending.key(), pending.stateHint(), pending.returnToOrigin(), now),
                    new Cancellation.Cancelled(pending.stateHint()));
            case OAuthSession underway -> Step.stay(underway,
                    new Cancellation.Underway(underway.stateHint(), underway.stage()));
        };
    }

    /**
     * A browser lands on the page that ends a sign-in and asks how this one went. A pure read: nothing changes
     * (an expired session is reported unknown and left for the purge), so asking twice, or at any stage, is harmless.
     */
    static Transition<Progress> progress(Instant now) {
        Objects.requireNonNull(now, "now");
        return current -> Step.stay(current, switch (current) {
            case null -> new Progress.Unknown();
            case Cancelled ended -> new Progress.Unknown();
            case Expired ended -> new Progress.Unknown();
            case OAuthSession session when session.isExpiredAt(now) -> new Progress.Unknown();
            case Pending waiting -> new Progress.Underway();
            case Exchanging marker -> new Progress.Underway();
            case Finished result -> switch (result.login().outcome()) {
                case LoginOutcome.Succeeded succeeded -> new Progress.Succeeded();
                case LoginOutcome.Failed failed -> new Progress.Failed(failed.failure());
            };
            case PickedUp marker -> new Progress.HandedOut();
        });
    }

    private static boolean foreign(Finished result, Optional<ClientKey> pickedUpBy) {
        return pickedUpBy.isPresent() && result.client().known() && !result.client().equals(pickedUpBy.get());
    }

    private static Expired expired(OAuthSession session, Instant now) {
        return new Expired(session.key(), session.stateHint(), session.returnToOrigin(), now);
    }

    private static IllegalStateException secondResult(FinishedLogin login) {
        return new IllegalStateException("state " + login.stateHint() + "… already has a result");
    }

    private static void requireMarker(StateHash key, String stateHint, String returnToOrigin, Instant since,
                                      Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stateHint, "stateHint");
        Objects.requireNonNull(returnToOrigin, "returnToOrigin");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    // --- what the transitions answer ----------------------------------------------------------------------

    /** The answer to {@link #consume}: the pending login, or why the state cannot complete one. */
    sealed interface Consumption {

        static Consumption rejected(StateRejection rejection) {
            return new Rejected(rejection);
        }

        record Consumed(PendingAuthorization pending) implements Consumption {
            public Consumed {
                Objects.requireNonNull(pending, "pending");
            }
        }

        record Rejected(StateRejection rejection) implements Consumption {
            public Rejected {
                Objects.requireNonNull(rejection, "rejection");
            }
        }
    }

    /** The answer to {@link #pickUp}. */
    sealed interface PickUp {

        record Ready(FinishedLogin finished) implements PickUp {
            public Ready {
                Objects.requireNonNull(finished, "finished");
            }
        }

        /** Still pending or being exchanged, or unknown: the desktop app keeps polling on this. */
        record NotReady() implements PickUp {
        }

        record AlreadyPickedUp() implements PickUp {
        }

        /** Bound pickups only: the login was started by another client; its result stays for that client. */
        record OtherClient() implements PickUp {
        }
    }

    /** The answer to {@link #progress}: what the landing page may say, never the tokens themselves. */
    sealed interface Progress {

        /** Started, or being exchanged: SoundCloud has not finished yet. */
        record Underway() implements Progress {
        }

        record Succeeded() implements Progress {
        }

        record Failed(LoginFailure failure) implements Progress {
            public Failed {
                Objects.requireNonNull(failure, "failure");
            }
        }

        /** Finished and already picked up by the app: its outcome went with it and is no longer kept. */
        record HandedOut() implements Progress {
        }

        /** Never here, expired, cancelled, or already forgotten. */
        record Unknown() implements Progress {
        }
    }

    /** The answer to {@link #cancel}. */
    sealed interface Cancellation {

        record Cancelled(String stateHint) implements Cancellation {
        }

        /** SoundCloud has already sent the user back: the login is underway or done, and is left alone. */
        record Underway(String stateHint, Stage stage) implements Cancellation {
        }

        /** Nothing to cancel: finished and gone, expired, already cancelled, or never here. */
        record Gone() implements Cancellation {
        }
    }
}
