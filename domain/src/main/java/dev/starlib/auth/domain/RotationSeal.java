package dev.starlib.auth.domain;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Seals the answer to a rotation so that only the holder of the refresh token it rotated can open it: the key is
 * derived from that token itself (HKDF-SHA256, a fresh random salt per seal), and the answer is encrypted and
 * authenticated with AES-256-GCM. A store keeps it under the token's SHA-256, so neither the store, its files,
 * a heap dump nor an operator's page holds what it takes to read the new tokens; a caller who presents the old
 * token can. See {@code docs/decisions/0008-refresh-single-flight-and-reuse-window.md} for what that protects.
 * <pre>
 *   version  1   1
 *   salt    16   HKDF salt, random per seal
 *   nonce   12   AES-GCM nonce, random per seal
 *   sealed   n   AES-256-GCM(answer) with its 16-byte tag; the version byte is the associated data
 * </pre>
 */
public final class RotationSeal {

    static final byte VERSION = 1;
    static final int SALT_BYTES = 16;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final int HEADER_BYTES = 1 + SALT_BYTES + NONCE_BYTES;
    private static final byte[] INFO = "starlib-auth refresh rotation v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte ROTATED = 1;
    private static final byte FAILED = 2;

    private RotationSeal() {
    }

    public static SealedRotation seal(RefreshToken rotated, Rotation answer, SecureRandom random) {
        Objects.requireNonNull(rotated, "rotated");
        Objects.requireNonNull(answer, "answer");
        byte[] plaintext = encode(answer);
        byte[] sealed = new byte[HEADER_BYTES + plaintext.length + TAG_BYTES];
        sealed[0] = VERSION;
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        System.arraycopy(salt, 0, sealed, 1, SALT_BYTES);
        System.arraycopy(nonce, 0, sealed, 1 + SALT_BYTES, NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, rotated, salt, nonce);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, HEADER_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing with AES-GCM failed", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        return SealedRotation.of(sealed);
    }

    /**
     * The answer, when {@code presented} is the token it was sealed under; empty for any other token, and for
     * bytes that were altered or are not a seal of this version.
     */
    public static Optional<Rotation> open(RefreshToken presented, SealedRotation sealed) {
        Objects.requireNonNull(presented, "presented");
        byte[] bytes = sealed.bytes();
        if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes[0] != VERSION) {
            return Optional.empty();
        }
        byte[] salt = Arrays.copyOfRange(bytes, 1, 1 + SALT_BYTES);
        byte[] nonce = Arrays.copyOfRange(bytes, 1 + SALT_BYTES, HEADER_BYTES);
        byte[] plaintext;
        try {
            plaintext = cipher(Cipher.DECRYPT_MODE, presented, salt, nonce)
                    .doFinal(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
        } catch (AEADBadTagException anotherToken) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("opening with AES-GCM failed", e);
        }
        try {
            return decode(plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, RefreshToken token, byte[] salt, byte[] nonce)
            throws GeneralSecurityException {
        byte[] ikm = token.value().getBytes(StandardCharsets.US_ASCII);
        byte[] key = Hkdf.derive(salt, ikm, INFO, 32);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(new byte[] {VERSION});
            return cipher;
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(ikm, (byte) 0);
        }
    }

    private static byte[] encode(Rotation answer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (answer) {
                case Rotation.Rotated(Tokens tokens, Instant rotatedAt) -> {
                    out.writeByte(ROTATED);
                    out.writeUTF(tokens.accessToken().value());
                    out.writeUTF(tokens.refreshToken().value());
                    writeDuration(out, tokens.expiresIn());
                    out.writeLong(rotatedAt.getEpochSecond());
                    out.writeInt(rotatedAt.getNano());
                }
                case Rotation.Failed(LoginFailure failure) -> {
                    out.writeByte(FAILED);
                    out.writeUTF(failure.reason().name());
                    out.writeUTF(failure.description());
                    out.writeBoolean(failure.retryAfter().isPresent());
                    if (failure.retryAfter().isPresent()) {
                        writeDuration(out, failure.retryAfter().get());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Bytes that authenticated under the token but do not decode are a bug or another version: not an answer. */
    private static Optional<Rotation> decode(byte[] plaintext) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext));
        try {
            Rotation answer = switch (in.readByte()) {
                case ROTATED -> {
                    Tokens tokens = new Tokens(new AccessToken(in.readUTF()), new RefreshToken(in.readUTF()),
                            readDuration(in));
                    yield new Rotation.Rotated(tokens, Instant.ofEpochSecond(in.readLong(), in.readInt()));
                }
                case FAILED -> {
                    LoginFailure.Reason reason = LoginFailure.Reason.valueOf(in.readUTF());
                    String description = in.readUTF();
                    Optional<Duration> retryAfter = in.readBoolean() ? Optional.of(readDuration(in)) : Optional.empty();
                    yield new Rotation.Failed(new LoginFailure(reason, description, retryAfter));
                }
                default -> null;
            };
            return in.available() == 0 ? Optional.ofNullable(answer) : Optional.empty();
        } catch (IOException | RuntimeException notAnAnswer) {
            return Optional.empty();
        }
    }

    private static void writeDuration(DataOutputStream out, Duration duration) throws IOException {
        out.writeLong(duration.getSeconds());
        out.writeInt(duration.getNano());
    }

    private static Duration readDuration(DataInputStream in) throws IOException {
        return Duration.ofSeconds(in.readLong(), in.readInt());
    }
}
