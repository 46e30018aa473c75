package dev.starlib.auth.store.redis;

import dev.starlib.auth.domain.ClientRule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One instance's requests on a stripe of tallies, served in turns: while one turn is at Redis, the requests that
 * arrive wait, and the first of them then serves all of them in the next turn, so a tally that many requests
 * spend at once costs a round trip per turn, not per request (the file store's syncs work the same way). A turn
 * is taken by a request's own thread; no thread of the queue's own.
 * <p>
 * A request waits at most its patience for a turn to take it; past that it leaves the queue and is served on its
 * own, outside the turns (the compare-and-set keeps that correct). Once a turn has taken it, it goes on as soon as
 * it is answered: a turn that holds several tallies of the stripe writes them one after another, and the requests
 * on the first need not wait for the last (the leader, which serves the whole turn, does). The turn's round trips'
 * own timeouts bound that wait. An interrupt of the leader's thread is kept for it, and does not fail the others.
 */
final class TallyQueue {

    /** One request on a tally, with its answer once served. */
    static final class Request {

        final byte[] key;
        final ClientRule<Object, Object> rule;
        final Instant now;
        private final CountDownLatch woken = new CountDownLatch(1);
        /**
         * A turn has taken it, or handed it the next turn: it may no longer leave the queue after its patience.
         * Guarded by the queue's lock.
         */
        private boolean claimed;
        private Object answer;
        private RuntimeException failure;
        private volatile boolean served;

        @SuppressWarnings("unchecked")
        Request(byte[] key, ClientRule<?, ?> rule, Instant now) {
            this.key = Objects.requireNonNull(key, "key");
            this.rule = (ClientRule<Object, Object>) Objects.requireNonNull(rule, "rule");
            this.now = Objects.requireNonNull(now, "now");
        }

        /** Its answer, and it goes on at once: the rest of its turn (other tallies) does not hold it. */
        void answer(Object answer) {
            this.answer = answer;
            this.served = true;
            woken.countDown();
        }

        void fail(RuntimeException failure) {
            this.failure = failure;
            this.served = true;
            woken.countDown();
        }

        boolean served() {
            return served;
        }

        private Object result() {
            if (failure != null) {
                throw failure;
            }
            return answer;
        }

        @Override
        public String toString() {
            return "TallyQueue.Request[" + (served ? "served" : "not served") + "]";
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private final Consumer<List<Request>> server;
    private final Duration patience;
    /** A turn is being taken, or has been handed to a request that will take it. Guarded by {@link #lock}. */
    private boolean turning;

    /**
     * @param server   answers (or fails) every request of the list it is given, in the order they came
     * @param patience how long a request waits in the queue for a turn before it is served on its own
     */
    TallyQueue(Consumer<List<Request>> server, Duration patience) {
        this.server = Objects.requireNonNull(server, "server");
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    /** The request's answer, once a turn (its own, or another request's) has served it; its failure, thrown. */
    Object submit(Request request) {
        boolean leads;
        lock.lock();
        try {
            waiting.addLast(request);
            leads = !turning;
            turning = true;
        } finally {
            lock.unlock();
        }
        if (!leads && !awaitTurn(request)) {
            serve(List.of(request));
        } else if (!request.served()) {
            // Woken without an answer: the next turn is this request's.
            takeTurn();
        }
        return request.result();
    }

    /** How many requests are in the queue for the next turn. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** @return false when the request left the queue after its patience, to be served on its own */
    private boolean awaitTurn(Request request) {
        if (await(request.woken, patience)) {
            return true;
        }
        lock.lock();
        try {
            if (!request.claimed) {
                waiting.remove(request);
                return false;
            }
        } finally {
            lock.unlock();
        }
        // A turn took it, or it leads the next one, in the meantime: it is woken when it has its answer or the lead.
        while (!await(request.woken, patience)) {
            // still in a turn: its round trips time out on their own
        }
        return true;
    }

    private void takeTurn() {
        List<Request> turn;
        lock.lock();
        try {
            turn = new ArrayList<>(waiting);
            waiting.clear();
            turn.forEach(request -> request.claimed = true);
        } finally {
            lock.unlock();
        }
        // An interrupt of this request's thread is its own: it must not fail the round trips of the others.
        boolean interrupted = Thread.interrupted();
        try {
            serve(turn);
        } finally {
            turn.stream().filter(request -> !request.served()).forEach(request -> request.fail(
                    new IllegalStateException("a tally request was left unanswered by its turn")));
            Request next;
            lock.lock();
            try {
                next = waiting.peekFirst();
                if (next == null) {
                    turning = false;
                } else {
                    next.claimed = true;
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                next.woken.countDown();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void serve(List<Request> requests) {
        try {
            server.accept(requests);
        } catch (RuntimeException failure) {
            requests.stream().filter(request -> !request.served()).forEach(request -> request.fail(failure));
        }
    }

    /** Waits for the latch at most {@code patience}; an interrupt is kept for the caller, not a reason to stop. */
    private static boolean await(CountDownLatch latch, Duration patience) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (true) {
                try {
                    return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "TallyQueue";
    }
}
