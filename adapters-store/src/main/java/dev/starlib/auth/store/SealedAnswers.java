package dev.starlib.auth.store;

import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;

import java.util.Objects;

/**
 * A rotation's answer sealed again under the store key, for a store that keeps each as a value of its own (Redis),
 * as the file store seals its log: the answer is already sealed under the old refresh token by the use case; this
 * second seal, with the old token's hash as associated data, keeps a value moved under another token from opening
 * and makes Redis hold nothing the service's key did not seal. Thread-safe.
 */
public final class SealedAnswers {

    private final Seals seals;

    public SealedAnswers(StoreKey key) {
        this.seals = new Seals(Objects.requireNonNull(key, "key"), "starlib-rotation:");
    }

    public byte[] seal(TokenHash rotated, SealedRotation answer) {
        return seals.seal(rotated.bytes(), answer.bytes());
    }

    /** @throws SealedSessions.Unreadable when it was sealed under another store key or token, or altered */
    public SealedRotation open(TokenHash rotated, byte[] sealed) throws SealedSessions.Unreadable {
        byte[] plaintext = seals.open(rotated.bytes(), sealed, "rotation");
        if (plaintext.length == 0) {
            throw new SealedSessions.Unreadable("opened, but holds no answer");
        }
        return SealedRotation.of(plaintext);
    }

    @Override
    public String toString() {
        return "SealedAnswers[AES-256-GCM]";
    }
}
