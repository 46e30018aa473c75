package dev.starlib.auth.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who started a login or spends a budget, as a keyed hash (HMAC-SHA-256) of the client's address: enough to
 * count per client and to compare two requests, and no address at rest. {@link #UNKNOWN} stands for sessions
 * stored before the service kept a client with them; it counts toward no quota and matches no one.
 */
public record ClientKey(String hex) {

    public static final ClientKey UNKNOWN = new ClientKey("unknown");
    private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{32}");

    public ClientKey {
        Objects.requireNonNull(hex, "hex");
        if (!hex.equals("unknown") && !HEX_32.matcher(hex).matches()) {
            throw new IllegalArgumentException("a client key is 32 lowercase hex digits");
        }
    }

    public boolean known() {
        return !equals(UNKNOWN);
    }

    /** Keys for one deployment: the same address gives the same key under the same secret, and nothing else does. */
    public static final class Hasher {

        private final SecretKeySpec secret;
        /**
         * A MAC keyed with {@link #secret}, never used itself: each call clones it, which skips the provider
         * look-up and key set-up that {@code Mac.getInstance} and {@code init} cost on every request (about 1 % of
         * the service's samples under load). {@code null} when the provider's MAC cannot be cloned.
         */
        private final Mac keyed;

        /** @param secret at least 32 bytes, random, shared by every instance that must agree on keys */
        public Hasher(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < 32) {
                throw new IllegalArgumentException("a client key secret has at least 32 bytes");
            }
            this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
            this.keyed = cloneable(this.secret);
        }

        private static Mac cloneable(SecretKeySpec secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(secret);
                mac.clone();
                return mac;
            } catch (CloneNotSupportedException e) {
                return null;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK has HmacSHA256", e);
            }
        }

        private Mac mac() throws GeneralSecurityException {
            if (keyed != null) {
                try {
                    return (Mac) keyed.clone();
                } catch (CloneNotSupportedException e) {
                    // checked in the constructor; fall through to a fresh one
                }
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        }

        /** @param client a normalised client identity, e.g. {@code 203.0.113.7} or {@code 2001:db8:1:2::/64} */
        public ClientKey keyOf(String client) {
            Objects.requireNonNull(client, "client");
            try {
                Mac mac = mac();
                byte[] digest = mac.doFinal(client.getBytes(StandardCharsets.UTF_8));
                return new ClientKey(Secrets.hex(java.util.Arrays.copyOf(digest, 16)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK has HmacSHA256", e);
            }
        }

        @Override
        public String toString() {
            return "ClientKey.Hasher[secret=<hidden>]";
        }
    }
}
