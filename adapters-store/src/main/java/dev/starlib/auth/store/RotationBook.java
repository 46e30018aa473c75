package dev.starlib.auth.store;

import dev.starlib.auth.application.port.RotationLedger.Awaited;
import dev.starlib.auth.application.port.RotationLedger.Claim;
import dev.starlib.auth.application.port.RotationLedger.Lease;
import dev.starlib.auth.application.port.RotationLedger.Publication;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * A rotation that ended stays here, with its answer, until it is claimed again or its lease runs out: a caller told
 * "under way" a moment before the end still gets that answer when it comes to wait.
 */
final class RotationBook {

    /** One remembered answer: the sealed bytes, the tokens it hands out, and how long it is kept. */
    record Kept(SealedRotation answer, Set<TokenHash> handsOut, Instant keepUntil) {
        Kept {
            Objects.requireNonNull(answer, "answer");
            handsOut = Set.copyOf(handsOut);
            Objects.requireNonNull(keepUntil, "keepUntil");
        }

        boolean isExpiredAt(Instant now) {
            return !now.isBefore(keepUntil);
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
    private final Map<TokenHash, Kept> kept = new HashMap<>();
    private final Map<TokenHash, Flight> flights = new HashMap<>();
    private long holders;

    RotationBook(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    Claim claim(TokenHash key, Instant now, Instant leaseUntil) {
        Kept remembered = kept.get(key);
        if (remembered != null && !remembered.isExpiredAt(now)) {
            return new Claim.Remembered(remembered.answer());
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
        return kept.containsKey(key) || kept.size() < capacity;
    }

    void keep(TokenHash key, Kept entry) {
        kept.put(key, entry);
    }

    /** Ends the rotation {@code lease} names, if it is still the current one: its waiters get {@code answer}. */
    void end(Lease lease, Optional<SealedRotation> answer) {
        Flight flight = flights.get(lease.rotated());
        if (flight != null && flight.lease.equals(lease)) {
            flight.outcome.complete(answer);
        }
    }

    /** What a waiter on {@code lease} waits for; already empty when that rotation is gone or was superseded. */
    CompletableFuture<Optional<SealedRotation>> outcomeOf(Lease lease) {
        Flight flight = flights.get(lease.rotated());
        return flight != null && flight.lease.equals(lease) ? flight.outcome
                : CompletableFuture.completedFuture(Optional.empty());
    }

    /** The remembered answers kept for {@code token} or handing it out. */
    List<TokenHash> keptFor(TokenHash token) {
        List<TokenHash> keys = new ArrayList<>();
        kept.forEach((key, entry) -> {
            if (key.equals(token) || entry.handsOut().contains(token)) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** A rotation of {@code token} under way will not be remembered when it ends. */
    void markForgotten(TokenHash token) {
        Flight flight = flights.get(token);
        if (flight != null && !flight.outcome.isDone()) {
            flight.forgotten = true;
        }
    }

    void remove(Collection<TokenHash> keys) {
        keys.forEach(kept::remove);
    }

    /** The remembered answers whose time is up at {@code now}. */
    List<TokenHash> expired(Instant now) {
        return kept.entrySet().stream().filter(entry -> entry.getValue().isExpiredAt(now)).map(Map.Entry::getKey).toList();
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

    Map<TokenHash, Kept> keptEntries() {
        return kept;
    }

    int size() {
        return kept.size();
    }
}
