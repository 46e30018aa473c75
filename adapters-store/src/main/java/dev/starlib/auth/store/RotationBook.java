package dev.starlib.auth.store;

import dev.starlib.auth.application.port.RotationLedger.Awaited;
import dev.starlib.auth.application.port.RotationLedger.Claim;
import dev.starlib.auth.application.port.RotationLedger.Lease;
import dev.starlib.auth.application.port.RotationLedger.Publication;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.store.SessionTable.Key;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The rotation ledger of one process: the answers remembered until their deadline, and the rotations under way with
 * whoever waits for them. Shared by the memory and the file store, which hold their own lock around every call
 * (the file store across the fsync), so that a claim never falls between an answer being remembered and its
 * rotation ending. Not thread-safe on its own. Waiting happens outside that lock, on a rotation's
 * {@link #outcomeOf future}.
 * <p>
 * What a remembered answer costs does not grow with how many there are: a sign-out finds the answers that hand its
 * token out through an index by token, and a purge visits only the answers whose time is up, in deadline order.
 * Each token's hash is held once, as four {@code long}s ({@link SessionTable.Key}), shared by the answer and the
 * indexes: 555 bytes per answer with tokens of SoundCloud's shape, where a map of the domain's records and the
 * rotation kept beside it took 863 (the benchmark's heap phase).
 * <p>
 * A rotation that ended stays here, with its answer, until it is claimed again or its lease runs out: a caller told
 * "under way" a moment before the end still gets that answer when it comes to wait. When the answer is remembered
 * the rotation is let go of at once, and such a caller is given the remembered answer instead.
 */
final class RotationBook {

    /** One remembered answer as the stores exchange it: the sealed bytes, the tokens it hands out, how long it is kept. */
    record Kept(SealedRotation answer, Set<TokenHash> handsOut, Instant keepUntil) {
        Kept {
            Objects.requireNonNull(answer, "answer");
            handsOut = Set.copyOf(handsOut);
            Objects.requireNonNull(keepUntil, "keepUntil");
        }
    }

    /** One remembered answer as the book holds it; its keys are the very objects the indexes hold. Immutable. */
    static final class Remembered {
        private static final Key[] NONE = new Key[0];
        private static final Comparator<Remembered> BY_DEADLINE = Comparator.comparing(entry -> entry.keepUntil);

        final Key rotated;
        final SealedRotation answer;
        private final Key[] handsOut;
        private final Instant keepUntil;

        private Remembered(Key rotated, Kept kept) {
            this.rotated = rotated;
            this.answer = kept.answer();
            this.handsOut = kept.handsOut().isEmpty() ? NONE
                    : kept.handsOut().stream().map(token -> Key.ofHex(token.hex())).toArray(Key[]::new);
            this.keepUntil = kept.keepUntil();
        }

        boolean isExpiredAt(Instant now) {
            return !now.isBefore(keepUntil);
        }

        /** Back in the form the codec writes. */
        Kept kept() {
            Set<TokenHash> tokens = new HashSet<>();
            for (Key token : handsOut) {
                tokens.add(tokenHash(token));
            }
            return new Kept(answer, tokens, keepUntil);
        }
    }

    private static final class Flight {
        final Lease lease;
        final CompletableFuture<Optional<SealedRotation>> outcome = new CompletableFuture<>();
        boolean forgotten;

        Flight(Lease lease) {
            this.lease = lease;
        }

        boolean underwayAt(Instant now) {
            return !outcome.isDone() && now.isBefore(lease.until());
        }
    }

    private final int capacity;
    private final Map<Key, Remembered> kept = new HashMap<>();
    /**
     * Each token a remembered answer hands out, to the key of that answer: a {@link Key}, or a {@code List<Key>} in
     * the case (SoundCloud never makes it, a test's fake may) of several answers handing out one token.
     */
    private final Map<Key, Object> byHandedOut = new HashMap<>();
    /**
     * Every answer kept, by deadline. One that was forgotten or replaced stays in until its deadline and is then
     * passed over: it is no longer the one {@link #kept} holds. So that sign-outs cannot pile those up for a whole
     * window, the queue is rebuilt from {@link #kept} once they outnumber the answers held (plus
     * {@value #STALE_ALLOWANCE}): a cost of one walk per as many sign-outs as there are answers.
     */
    private PriorityQueue<Remembered> byDeadline = new PriorityQueue<>(Remembered.BY_DEADLINE);
    private static final int STALE_ALLOWANCE = 1_024;
    private final Map<TokenHash, Flight> flights = new HashMap<>();
    private long holders;

    RotationBook(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    Claim claim(TokenHash key, Instant now, Instant leaseUntil) {
        Remembered remembered = kept.get(keyOf(key));
        if (remembered != null && !remembered.isExpiredAt(now)) {
            return new Claim.Remembered(remembered.answer);
        }
        Flight flight = flights.get(key);
        if (flight != null && flight.underwayAt(now)) {
            return new Claim.Underway(flight.lease);
        }
        if (flight != null) {
            flight.outcome.complete(Optional.empty()); // a lease that ran out ended without an answer
        }
        Lease lease = new Lease(key, Long.toString(++holders), leaseUntil);
        flights.put(key, new Flight(lease));
        return new Claim.Granted(lease);
    }

    /**
     * What publishing an answer under {@code lease} does with it: {@link Publication#REMEMBERED} means it is to be
     * kept (a durable store writes it first); {@link Publication#FULL} may change once expired answers are dropped.
     */
    Publication decide(Lease lease, Instant now, Instant keepUntil) {
        if (!keepUntil.isAfter(now)) {
            return Publication.NOT_KEPT;
        }
        if (forgottenDuring(lease)) {
            return Publication.FORGOTTEN;
        }
        return hasRoomFor(lease.rotated()) ? Publication.REMEMBERED : Publication.FULL;
    }

    /** Waits, outside the store's lock, for the outcome of a rotation. */
    static Awaited await(CompletableFuture<Optional<SealedRotation>> outcome, Duration atMost) throws InterruptedException {
        try {
            return outcome.get(Math.max(0, atMost.toNanos()), TimeUnit.NANOSECONDS)
                    .<Awaited>map(Awaited.Published::new)
                    .orElseGet(Awaited.Ended::new);
        } catch (TimeoutException stillGoing) {
            return new Awaited.StillUnderway();
        } catch (ExecutionException cannotHappen) {
            return new Awaited.Ended();
        }
    }

    /** Whether the token was signed out while this rotation was under way: its answer is then not remembered. */
    boolean forgottenDuring(Lease lease) {
        Flight flight = flights.get(lease.rotated());
        return flight != null && flight.lease.equals(lease) && flight.forgotten;
    }

    /** Whether an answer for {@code key} fits: it replaces one kept already, or there is a place left. */
    boolean hasRoomFor(TokenHash key) {
        return kept.size() < capacity || kept.containsKey(keyOf(key));
    }

    /** Remembers {@code entry} under {@code key}, in place of any answer kept for it before. */
    void keep(TokenHash key, Kept entry) {
        Remembered remembered = new Remembered(keyOf(key), entry);
        Remembered replaced = kept.put(remembered.rotated, remembered);
        if (replaced != null) {
            unindex(replaced);
        }
        for (Key token : remembered.handsOut) {
            byHandedOut.merge(token, remembered.rotated, RotationBook::alsoHandedOutBy);
        }
        if (byDeadline.size() >= 2 * kept.size() + STALE_ALLOWANCE) {
            PriorityQueue<Remembered> live = new PriorityQueue<>(kept.size() * 2 + 16, Remembered.BY_DEADLINE);
            live.addAll(kept.values()); // holds the new answer already
            byDeadline = live;
        } else {
            byDeadline.add(remembered);
        }
    }

    /**
     * Ends the rotation {@code lease} names, if it is still the current one: its waiters get {@code answer}. Once that
     * answer is the one remembered, the rotation is let go of: {@link #outcomeOf} finds the answer where it is kept.
     */
    void end(Lease lease, Optional<SealedRotation> answer) {
        Flight flight = flights.get(lease.rotated());
        if (flight != null && flight.lease.equals(lease)) {
            flight.outcome.complete(answer);
            Remembered remembered = answer.isPresent() ? kept.get(keyOf(lease.rotated())) : null;
            if (remembered != null && remembered.answer == answer.get()) {
                flights.remove(lease.rotated());
            }
        }
    }

    /**
     * What a waiter on {@code lease} waits for: the rotation's outcome, or the answer remembered for its token once the
     * rotation was let go of; already empty when that rotation is gone without one, or was superseded.
     */
    CompletableFuture<Optional<SealedRotation>> outcomeOf(Lease lease) {
        Flight flight = flights.get(lease.rotated());
        if (flight != null) {
            return flight.lease.equals(lease) ? flight.outcome : CompletableFuture.completedFuture(Optional.empty());
        }
        Remembered remembered = kept.get(keyOf(lease.rotated()));
        return CompletableFuture.completedFuture(Optional.ofNullable(remembered).map(entry -> entry.answer));
    }

    /**
     * Forgets the remembered answers kept for {@code token} or handing it out, and says which went: for each, its
     * own answer and those that hand out the token (through {@link #byHandedOut}, not a scan).
     */
    List<TokenHash> removeKeptFor(TokenHash token) {
        Key key = keyOf(token);
        Set<Key> keys = new LinkedHashSet<>();
        if (kept.containsKey(key)) {
            keys.add(key);
        }
        Object handingOut = byHandedOut.get(key);
        if (handingOut instanceof Key one) {
            keys.add(one);
        } else if (handingOut instanceof List<?> several) {
            several.forEach(rotated -> keys.add((Key) rotated));
        }
        List<TokenHash> removed = new ArrayList<>(keys.size());
        for (Key rotated : keys) {
            unindex(kept.remove(rotated));
            removed.add(tokenHash(rotated));
        }
        return removed;
    }

    /** A rotation of {@code token} under way will not be remembered when it ends. */
    void markForgotten(TokenHash token) {
        Flight flight = flights.get(token);
        if (flight != null && !flight.outcome.isDone()) {
            flight.forgotten = true;
        }
    }

    /** Forgets the remembered answers whose time is up at {@code now}, and says which went. Visits only those. */
    List<TokenHash> removeExpired(Instant now) {
        List<TokenHash> removed = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.peek().isExpiredAt(now)) {
            Remembered due = byDeadline.poll();
            if (kept.get(due.rotated) == due) {
                kept.remove(due.rotated);
                unindex(due);
                removed.add(tokenHash(due.rotated));
            }
        }
        return removed;
    }

    /** Lets go of the rotations whose lease has run out; one that never ended ends now, without an answer. */
    void dropFinishedFlights(Instant now) {
        flights.values().removeIf(flight -> {
            if (now.isBefore(flight.lease.until())) {
                return false;
            }
            flight.outcome.complete(Optional.empty());
            return true;
        });
    }

    /** A copy of what is remembered, to write out without the store's lock (the entries themselves never change). */
    List<Remembered> snapshot() {
        return new ArrayList<>(kept.values());
    }

    int size() {
        return kept.size();
    }

    /** How many entries the deadline queue holds, passed-over ones included. For the tests. */
    int deadlinesHeld() {
        return byDeadline.size();
    }

    /** The index entries of an answer that is no longer kept. */
    private void unindex(Remembered gone) {
        for (Key token : gone.handsOut) {
            byHandedOut.computeIfPresent(token, (ignored, handingOut) -> withoutHandedOutBy(handingOut, gone.rotated));
        }
    }

    private static Object alsoHandedOutBy(Object handingOut, Object rotated) {
        List<Key> several = new ArrayList<>(2);
        if (handingOut instanceof List<?> list) {
            list.forEach(key -> several.add((Key) key));
        } else {
            several.add((Key) handingOut);
        }
        several.add((Key) rotated);
        return several;
    }

    /** {@code handingOut} without {@code rotated}; {@code null} (no entry) when nothing is left. */
    private static Object withoutHandedOutBy(Object handingOut, Key rotated) {
        if (handingOut instanceof Key one) {
            return one.equals(rotated) ? null : one;
        }
        List<Key> rest = new ArrayList<>();
        ((List<?>) handingOut).forEach(key -> {
            if (!key.equals(rotated)) {
                rest.add((Key) key);
            }
        });
        return rest.isEmpty() ? null : rest.size() == 1 ? rest.get(0) : rest;
    }

    private static Key keyOf(TokenHash token) {
        return Key.ofHex(token.hex());
    }

    private static TokenHash tokenHash(Key key) {
        return new TokenHash(key.hex());
    }
}
