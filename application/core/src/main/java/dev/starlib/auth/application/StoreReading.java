package dev.starlib.auth.application;

import java.util.Objects;

/** A read of the session store for operators: what it holds, or why it could not say. */
public sealed interface StoreReading<T> {

    record Read<T>(T value) implements StoreReading<T> {
        public Read {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The store could not answer; {@code reason} is for operators (it may name a directory or a host). */
    record Unavailable<T>(String reason) implements StoreReading<T> {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
