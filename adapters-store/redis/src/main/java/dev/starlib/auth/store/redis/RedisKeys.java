package dev.starlib.auth.store.redis;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.TokenHash;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The store's keys, all {@code <prefix>{auth}:…}:
 * <ul>
 *   <li>{@code session:<state hash>} for each session, {@code sessions} for the index of them all (a sorted set
 *       scored by expiry: capacity and purging), {@code probe} for readiness;</li>
 *   <li>the operators' views of the sessions, kept by the same scripts as the index: {@code sessions-by-age}
 *       (scored by when each session's stage began, in microseconds) and, per stage, {@code sessions-in:<stage>}
 *       (scored by expiry, as the index);</li>
 *   <li>for the refresh-token rotation ledger, by the SHA-256 of the token rotated: {@code rotation:<hash>} an
 *       answer remembered for the reuse window, {@code rotations} their index, {@code rotation-lease:<hash>} the
 *       lease of the one caller that asks SoundCloud, {@code rotation-done:<hash>:<holder>} the answer of that
 *       lease for its waiters, {@code rotation-forgotten:<hash>} a sign-out during it, and {@code hands-out:<hash>}
 *       the answers that hand a token out (so a sign-out of that token forgets them);</li>
 *   <li>{@code app-token} the app token, {@code app-token-lease} the lease of the one instance renewing it;</li>
 *   <li>by a client's key (a keyed hash of its address, never the address): {@code client-places:<key>} its
 *       pending logins, for {@code PENDING_PER_CLIENT}, and {@code tally:<scope>:<key>} what a rate limit or the
 *       admin back-off tallies for it.</li>
 * </ul>
 * The hash tag {@code {auth}} puts every key in one Redis Cluster slot, so the scripts that touch a value and its
 * index together stay legal there; the service's data is a few megabytes, far from needing more than one shard.
 */
final class RedisKeys {

    static final String HASH_TAG = "{auth}";

    private final String base;
    private final String sessionPrefix;
    private final byte[] index;
    private final byte[] probe;
    private final byte[] byAge;
    private final byte[][] inStage;

    RedisKeys(String prefix) {
        this.base = prefix + HASH_TAG + ":";
        this.sessionPrefix = base + "session:";
        this.index = bytes(base + "sessions");
        this.probe = bytes(base + "probe");
        this.byAge = bytes(base + "sessions-by-age");
        OAuthSession.Stage[] stages = OAuthSession.Stage.values();
        this.inStage = new byte[stages.length][];
        for (OAuthSession.Stage stage : stages) {
            inStage[stage.ordinal()] = bytes(base + "sessions-in:" + stage.name().toLowerCase(Locale.ROOT));
        }
    }

    byte[] session(StateHash key) {
        return bytes(sessionPrefix + key.hex());
    }

    /** What the scripts put in front of an index member (a state hash) to get its session's key. */
    byte[] sessionPrefix() {
        return bytes(sessionPrefix);
    }

    byte[] index() {
        return index;
    }

    /** The sessions by when their stage began, then by state hash: what operators see as the oldest. */
    byte[] byAge() {
        return byAge;
    }

    /** The sessions in {@code stage}, scored by expiry: how many are unexpired is one {@code ZCOUNT}. */
    byte[] inStage(OAuthSession.Stage stage) {
        return inStage[stage.ordinal()];
    }

    byte[] probe() {
        return probe;
    }

    byte[] rotation(TokenHash rotated) {
        return bytes(base + "rotation:" + rotated.hex());
    }

    /** What the scripts put in front of a member of {@link #rotations()} to get its answer's key. */
    byte[] rotationPrefix() {
        return bytes(base + "rotation:");
    }

    byte[] rotations() {
        return bytes(base + "rotations");
    }

    byte[] rotationLease(TokenHash rotated) {
        return bytes(base + "rotation-lease:" + rotated.hex());
    }

    byte[] rotationDone(TokenHash rotated, String holder) {
        return bytes(base + "rotation-done:" + rotated.hex() + ":" + holder);
    }

    byte[] rotationForgotten(TokenHash rotated) {
        return bytes(base + "rotation-forgotten:" + rotated.hex());
    }

    byte[] handsOut(TokenHash token) {
        return bytes(base + "hands-out:" + token.hex());
    }

    /** What the scripts put in front of a token hash to get its hands-out set's key. */
    byte[] handsOutPrefix() {
        return bytes(base + "hands-out:");
    }

    /** The pending logins that take places of {@code client}'s quota (PENDING_PER_CLIENT). */
    byte[] places(ClientKey client) {
        return bytes(base + "client-places:" + client.hex());
    }

    /** What is tallied for {@code client} under {@code scope}: a rate limit's bucket, wrong admin passwords. */
    byte[] tally(String scope, ClientKey client) {
        return bytes(base + "tally:" + scope + ":" + client.hex());
    }

    byte[] appToken() {
        return bytes(base + "app-token");
    }

    byte[] appTokenLease() {
        return bytes(base + "app-token-lease");
    }

    static byte[] member(StateHash key) {
        return bytes(key.hex());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
