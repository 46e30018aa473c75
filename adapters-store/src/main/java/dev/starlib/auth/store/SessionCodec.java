package dev.starlib.auth.store;

import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Tokens;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * An {@link OAuthSession} as the bytes that get sealed: a stage tag, then its fields in a fixed order (strings as
 * length-prefixed UTF-8, instants as epoch second and nanosecond, so they come back exactly). The key is not
 * repeated: it is in the record's header.
 * <p>
 * Stages that remember their client ({@link OAuthSession#client()}: a keyed hash, never an address) are written
 * with tags of their own, the client last; the first tags, written before clients were kept, still read back, as
 * sessions whose client is {@link ClientKey#UNKNOWN}. So a log from an earlier version opens unchanged.
 */
final class SessionCodec {

    private static final byte PENDING = 1;
    private static final byte EXCHANGING = 2;
    private static final byte FINISHED = 3;
    private static final byte PICKED_UP = 4;
    private static final byte PENDING_WITH_CLIENT = 5;
    private static final byte EXCHANGING_WITH_CLIENT = 6;
    private static final byte FINISHED_WITH_CLIENT = 7;
    private static final byte[] UNKNOWN_CLIENT = ClientKey.UNKNOWN.hex().getBytes(StandardCharsets.UTF_8);
    private static final byte SUCCEEDED = 1;
    private static final byte FAILED = 2;
    /** A failure with a wait before a retry (a 429's reset, an open breaker); logs before it have none. */
    private static final byte FAILED_WITH_WAIT = 3;

    private SessionCodec() {
    }

    /** @throws IllegalArgumentException for an ended session: those are never kept */
    static byte[] encode(OAuthSession session) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (session) {
                case OAuthSession.Pending(PendingAuthorization pending) -> {
                    out.writeByte(PENDING_WITH_CLIENT);
                    writeString(out, pending.stateHint());
                    writeString(out, pending.verifier().value());
                    writeString(out, pending.returnTo().uri().toString());
                    writeInstant(out, pending.createdAt());
                    writeInstant(out, pending.expiresAt());
                    writeString(out, pending.client().hex());
                }
                case OAuthSession.Exchanging marker -> {
                    out.writeByte(EXCHANGING_WITH_CLIENT);
                    writeMarker(out, marker.stateHint(), marker.returnToOrigin(), marker.since(), marker.expiresAt());
                    writeString(out, marker.client().hex());
                }
                case OAuthSession.Finished(FinishedLogin login, String origin, ClientKey client) -> {
                    out.writeByte(FINISHED_WITH_CLIENT);
                    writeMarker(out, login.stateHint(), origin, login.finishedAt(), login.expiresAt());
                    writeOutcome(out, login.outcome());
                    writeString(out, client.hex());
                }
                case OAuthSession.PickedUp marker -> {
                    out.writeByte(PICKED_UP);
                    writeMarker(out, marker.stateHint(), marker.returnToOrigin(), marker.since(), marker.expiresAt());
                }
                case OAuthSession.Cancelled ended -> throw new IllegalArgumentException("an ended session is never kept");
                case OAuthSession.Expired ended -> throw new IllegalArgumentException("an ended session is never kept");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a session this codec wrote */
    static OAuthSession decode(StateHash key, byte[] plaintext) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext));
        try {
            byte tag = in.readByte();
            OAuthSession session = switch (tag) {
                case PENDING, PENDING_WITH_CLIENT -> new OAuthSession.Pending(new PendingAuthorization(key,
                        readString(in), new CodeVerifier(readString(in)), new ReturnTo(new URI(readString(in))),
                        readInstant(in), readInstant(in), tag == PENDING ? ClientKey.UNKNOWN : readClient(in)));
                case EXCHANGING, EXCHANGING_WITH_CLIENT -> new OAuthSession.Exchanging(key, readString(in),
                        readString(in), readInstant(in), readInstant(in),
                        tag == EXCHANGING ? ClientKey.UNKNOWN : readClient(in));
                case FINISHED, FINISHED_WITH_CLIENT -> {
                    String hint = readString(in);
                    String origin = readString(in);
                    Instant finishedAt = readInstant(in);
                    Instant expiresAt = readInstant(in);
                    LoginOutcome outcome = readOutcome(in);
                    yield new OAuthSession.Finished(new FinishedLogin(key, hint, outcome, finishedAt, expiresAt),
                            origin, tag == FINISHED ? ClientKey.UNKNOWN : readClient(in));
                }
                case PICKED_UP -> new OAuthSession.PickedUp(key, readString(in), readString(in), readInstant(in),
                        readInstant(in));
                default -> throw new IllegalArgumentException("unknown session stage");
            };
            if (in.available() != 0) {
                throw new IllegalArgumentException("bytes left over after a session");
            }
            return session;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a stored session", e);
        }
    }

    /**
     * What a {@link SessionTable} keeps for these bytes: a pending login goes straight into its packed form, checked
     * as {@link #decode} checks it but without building the domain's objects on the way (a start reads a million);
     * anything else is decoded and packed when it fits.
     *
     * @throws IllegalArgumentException when the bytes are not a session this codec wrote
     */
    static SessionTable.Entry decodeEntry(SessionTable.Key key, byte[] plaintext, SessionTable.Shared shared) {
        return decodeEntry(key, plaintext, plaintext.length, shared);
    }

    /** As {@link #decodeEntry(SessionTable.Key, byte[], SessionTable.Shared)}, for {@code plaintext[0, length)}. */
    static SessionTable.Entry decodeEntry(SessionTable.Key key, byte[] plaintext, int length,
                                          SessionTable.Shared shared) {
        if (length > 0 && plaintext[0] == PENDING_WITH_CLIENT) {
            SessionTable.Entry packed = decodePackedPending(key, plaintext, length, shared);
            if (packed != null) {
                return packed;
            }
        }
        return SessionTable.entryOf(key, decode(key.hash(), java.util.Arrays.copyOf(plaintext, length)), shared);
    }

    /**
     * {@code null} when the login does not fit the packed form (the full decode then has the last word). Reads the
     * fields in place: no string, no instant, no URI (a {@code return_to} is parsed once per distinct text).
     */
    private static SessionTable.Entry decodePackedPending(SessionTable.Key key, byte[] plaintext, int length,
                                                          SessionTable.Shared shared) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(plaintext, 1, length - 1);
        try {
            int hintLength = length(in);
            long hint = SessionTable.PackedPending.packHint(plaintext, in.position(), hintLength);
            in.position(in.position() + hintLength);
            int verifierLength = length(in);
            java.nio.ByteBuffer verifier = SessionTable.PackedPending.packVerifier(plaintext, in.position(),
                    verifierLength);
            in.position(in.position() + verifierLength);
            int returnToLength = length(in);
            int returnToAt = in.position();
            in.position(returnToAt + returnToLength);
            long createdSeconds = in.getLong();
            int createdNanos = in.getInt();
            long expiresSeconds = in.getLong();
            int expiresNanos = in.getInt();
            int clientLength = length(in);
            if (hint == -1 || verifier == null || clientLength != in.remaining()
                    || createdNanos < 0 || createdNanos > 999_999_999 || expiresNanos < 0 || expiresNanos > 999_999_999
                    || SessionTable.compareInstants(expiresSeconds, expiresNanos, createdSeconds, createdNanos) <= 0) {
                return null;
            }
            long client0 = 0; // the key's 16 bytes as two big-endian longs, as the table keeps them
            long client1 = 0;
            if (clientLength == 32) {
                for (int i = 0; i < 32; i++) {
                    int digit = lowercaseHexDigit(in.get());
                    if (digit < 0) {
                        return null;
                    }
                    if (i < 16) {
                        client0 = client0 << 4 | digit;
                    } else {
                        client1 = client1 << 4 | digit;
                    }
                }
            } else if (clientLength != UNKNOWN_CLIENT.length || !java.util.Arrays.equals(plaintext, in.position(),
                    length, UNKNOWN_CLIENT, 0, UNKNOWN_CLIENT.length)) {
                return null;
            }
            if (createdSeconds < Instant.MIN.getEpochSecond() || expiresSeconds > Instant.MAX.getEpochSecond()) {
                return null;
            }
            return SessionTable.PackedPending.of(key, hint, verifier,
                    shared.returnTo(plaintext, returnToAt, returnToLength), createdSeconds, createdNanos,
                    expiresSeconds, expiresNanos, clientLength == 32, client0, client1);
        } catch (java.nio.BufferUnderflowException e) {
            return null;
        }
    }

    private static int length(java.nio.ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        return length;
    }

    private static int lowercaseHexDigit(byte digit) {
        if (digit >= '0' && digit <= '9') {
            return digit - '0';
        }
        return digit >= 'a' && digit <= 'f' ? digit - 'a' + 10 : -1;
    }

    private static void writeMarker(DataOutputStream out, String hint, String origin, Instant at, Instant expiresAt)
            throws IOException {
        writeString(out, hint);
        writeString(out, origin);
        writeInstant(out, at);
        writeInstant(out, expiresAt);
    }

    private static void writeOutcome(DataOutputStream out, LoginOutcome outcome) throws IOException {
        switch (outcome) {
            case LoginOutcome.Succeeded(Tokens tokens, SoundCloudUser user) -> {
                out.writeByte(SUCCEEDED);
                writeString(out, tokens.accessToken().value());
                writeString(out, tokens.refreshToken().value());
                out.writeLong(tokens.expiresIn().getSeconds());
                out.writeInt(tokens.expiresIn().getNano());
                out.writeLong(user.id());
                writeString(out, user.username());
                writeNullable(out, user.permalink());
                writeNullable(out, user.avatarUrl());
            }
            case LoginOutcome.Failed(LoginFailure failure) -> {
                out.writeByte(failure.retryAfter().isPresent() ? FAILED_WITH_WAIT : FAILED);
                writeString(out, failure.reason().name());
                writeString(out, failure.description());
                if (failure.retryAfter().isPresent()) {
                    out.writeLong(failure.retryAfter().get().getSeconds());
                    out.writeInt(failure.retryAfter().get().getNano());
                }
            }
        }
    }

    private static LoginOutcome readOutcome(DataInputStream in) throws IOException {
        return switch (in.readByte()) {
            case SUCCEEDED -> {
                Tokens tokens = new Tokens(new AccessToken(readString(in)), new RefreshToken(readString(in)),
                        Duration.ofSeconds(in.readLong(), in.readInt()));
                yield new LoginOutcome.Succeeded(tokens,
                        new SoundCloudUser(in.readLong(), readString(in), readNullable(in), readNullable(in)));
            }
            case FAILED -> new LoginOutcome.Failed(
                    new LoginFailure(LoginFailure.Reason.valueOf(readString(in)), readString(in)));
            case FAILED_WITH_WAIT -> new LoginOutcome.Failed(new LoginFailure(LoginFailure.Reason.valueOf(readString(in)),
                    readString(in), java.util.Optional.of(Duration.ofSeconds(in.readLong(), in.readInt()))));
            default -> throw new IllegalArgumentException("unknown login outcome");
        };
    }

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("a string runs past the end of the session");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static ClientKey readClient(DataInputStream in) throws IOException {
        return new ClientKey(readString(in));
    }

    static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
