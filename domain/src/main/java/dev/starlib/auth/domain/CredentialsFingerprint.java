package dev.starlib.auth.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which app credentials (client id and secret) a stored app token was obtained with: a SHA-256 over both. A token
 * kept for other credentials (the secret was changed, another app's id was configured) is never served, so the
 * first request after a change proves the new credentials. It is kept sealed with the token, and never printed.
 */
public record CredentialsFingerprint(String hex) {

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
    private static final String CONTEXT = "starlib-auth app token credentials v1";

    public CredentialsFingerprint {
        Objects.requireNonNull(hex, "hex");
        if (!HEX_64.matcher(hex).matches()) {
            throw new IllegalArgumentException("a credentials fingerprint is 64 lowercase hex digits");
        }
    }

    public static CredentialsFingerprint of(String clientId, String clientSecret) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {CONTEXT, clientId, clientSecret}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                // Length-prefixed, so that no other split of the same characters gives the same digest.
                sha256.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                        (byte) (bytes.length >>> 8), (byte) bytes.length});
                sha256.update(bytes);
            }
            return new CredentialsFingerprint(HexFormat.of().formatHex(sha256.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "CredentialsFingerprint[redacted]";
    }
}
