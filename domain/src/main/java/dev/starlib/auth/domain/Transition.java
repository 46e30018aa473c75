package dev.starlib.auth.domain;

/**
 * One rule of the {@link OAuthSession} lifecycle, as a pure function of what is stored under a key. A store
 * applies it atomically per key: under a lock, or as a compare-and-set on a version, retrying with the newer
 * stage when another writer came first (so it must have no side effects).
 *
 * @param <A> what the caller is told
 */
@FunctionalInterface
public interface Transition<A> {

    /** @param current the session stored under the key, or {@code null} when there is none */
    Step<A> apply(OAuthSession current);
}
