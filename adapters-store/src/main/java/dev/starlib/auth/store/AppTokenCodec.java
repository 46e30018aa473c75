package dev.starlib.auth.store;

import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppToken;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.CredentialsFingerprint;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.RenewalFailure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import static dev.starlib.auth.store.SessionCodec.readInstant;
import static dev.starlib.auth.store.SessionCodec.readNullable;
import static dev.starlib.auth.store.SessionCodec.readString;
import static dev.starlib.auth.store.SessionCodec.writeInstant;
import static dev.starlib.auth.store.SessionCodec.writeNullable;
import static dev.starlib.auth.store.SessionCodec.writeString;

/**
 * An {@link AppTokenState} as the bytes that get sealed, written as {@link SessionCodec} writes a session: a version,
 * the credentials fingerprint, then the token and the last failure, each behind a presence flag.
 */
final class AppTokenCodec {

    private static final byte VERSION = 1;

    private AppTokenCodec() {
    }

    static byte[] encode(AppTokenState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeString(out, state.credentials().hex());
            out.writeBoolean(state.token().isPresent());
            if (state.token().isPresent()) {
                AppToken token = state.token().get();
                writeString(out, token.accessToken().value());
                writeNullable(out, token.refreshToken().map(RefreshToken::value).orElse(null));
                writeInstant(out, token.obtainedAt());
                writeInstant(out, token.expiresAt());
                writeString(out, token.source().name());
            }
            out.writeBoolean(state.lastFailure().isPresent());
            if (state.lastFailure().isPresent()) {
                RenewalFailure failure = state.lastFailure().get();
                writeString(out, failure.cause().name());
                writeInstant(out, failure.at());
                writeInstant(out, failure.retryAt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not an app token state this codec wrote */
    static AppTokenState decode(byte[] plaintext) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext));
        try {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown app token record version");
            }
            CredentialsFingerprint credentials = new CredentialsFingerprint(readString(in));
            Optional<AppToken> token = Optional.empty();
            if (in.readBoolean()) {
                token = Optional.of(new AppToken(new AccessToken(readString(in)),
                        Optional.ofNullable(readNullable(in)).map(RefreshToken::new), readInstant(in), readInstant(in),
                        AppToken.Source.valueOf(readString(in))));
            }
            Optional<RenewalFailure> failure = Optional.empty();
            if (in.readBoolean()) {
                failure = Optional.of(new RenewalFailure(RenewalFailure.Cause.valueOf(readString(in)), readInstant(in),
                        readInstant(in)));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("bytes left over after the app token");
            }
            return new AppTokenState(credentials, token, failure);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a stored app token", e);
        }
    }
}
