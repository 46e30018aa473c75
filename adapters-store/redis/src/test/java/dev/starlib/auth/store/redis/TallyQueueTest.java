package dev.starlib.auth.store.redis;

import dev.starlib.auth.domain.ClientRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The turns of one instance's requests on its tallies, with a server in place of Redis that is held at will: who
 * is served in which turn, what a failure does to a turn, and what a request does when a turn takes too long.
 */
class TallyQueueTest {

    private static final Duration PATIENT = Duration.ofSeconds(30);
    private static final byte[] KEY = {1};

    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final List<List<String>> turns = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstTurnHeld = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        requests.shutdownNow();
    }

    @Test
    void whileOneTurnIsOutTheRequestsThatArriveAreServedTogetherInTheNextInTheOrderTheyCame() throws Exception {
        TallyQueue queue = new TallyQueue(heldFirst(turn -> turn.forEach(request -> request.answer(name(request)))),
                PATIENT);
        Future<Object> first = submit(queue, "first");
        firstTurnHeld.await();
        List<Future<Object>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            later.add(submit(queue, "later-" + i));
            awaitQueued(queue, i + 1);
        }

        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        for (int i = 0; i < 5; i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).as("each told its own answer").isEqualTo("later-" + i);
        }
        assertThat(turns).containsExactly(List.of("first"),
                List.of("later-0", "later-1", "later-2", "later-3", "later-4"));
    }

    @Test
    void aTurnThatFailsFailsEachOfItsRequestsAndTheNextTurnStillComes() throws Exception {
        IllegalStateException down = new IllegalStateException("Redis is down");
        TallyQueue queue = new TallyQueue(heldFirst(turn -> {
            if (name(turn.getFirst()).equals("first")) {
                throw down;
            }
            turn.forEach(request -> request.answer("served"));
        }), PATIENT);
        Future<Object> first = submit(queue, "first");
        firstTurnHeld.await();
        Future<Object> second = submit(queue, "second");
        awaitQueued(queue, 1);

        release.countDown();

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCause(down);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("served");
        assertThat(submit(queue, "third").get(10, TimeUnit.SECONDS)).as("the queue is free again").isEqualTo("served");
    }

    @Test
    void aRequestThatWaitsPastItsPatienceIsServedOnItsOwnWhileTheTurnIsStillOut() throws Exception {
        TallyQueue queue = new TallyQueue(heldFirst(turn -> turn.forEach(request -> request.answer(name(request)))),
                Duration.ofMillis(200));
        Future<Object> first = submit(queue, "first");
        firstTurnHeld.await();

        assertThat(submit(queue, "impatient").get(10, TimeUnit.SECONDS)).isEqualTo("impatient");
        assertThat(first).isNotDone();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(turns).containsExactly(List.of("first"), List.of("impatient"));
    }

    /** A turn that writes several tallies one after another lets each request go once its own is written. */
    @Test
    void aRequestGoesOnOnceItsOwnTallyIsWrittenNotWhenItsWholeTurnIs() throws Exception {
        CountDownLatch secondTallyHeld = new CountDownLatch(1);
        CountDownLatch secondTally = new CountDownLatch(1);
        TallyQueue queue = new TallyQueue(heldFirst(turn -> {
            for (TallyQueue.Request request : turn) {
                if (name(request).equals("other-tally")) {
                    secondTallyHeld.countDown();
                    await(secondTally);
                }
                request.answer(name(request));
            }
        }), PATIENT);
        Future<Object> first = submit(queue, "first");
        firstTurnHeld.await();
        // The request that queued first leads the next turn and serves all of it on its own thread: watch the next one.
        Future<Object> leader = submit(queue, "leader");
        awaitQueued(queue, 1);
        Future<Object> written = submit(queue, "this-tally");
        awaitQueued(queue, 2);
        Future<Object> held = submit(queue, "other-tally");
        awaitQueued(queue, 3);

        release.countDown();
        secondTallyHeld.await();

        assertThat(written.get(10, TimeUnit.SECONDS)).isEqualTo("this-tally");
        assertThat(held).isNotDone();
        secondTally.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("other-tally");
        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("leader");
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    }

    /** Redis's client fails a call on an interrupted thread; one request's interrupt must not fail its turn's others. */
    @Test
    void aRequestInterruptedWhileItWaitsLeadsItsTurnForTheOthersAndKeepsItsInterrupt() throws Exception {
        TallyQueue queue = new TallyQueue(heldFirst(turn -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted: the call to Redis is cancelled");
            }
            turn.forEach(request -> request.answer(name(request)));
        }), PATIENT);
        Future<Object> first = submit(queue, "first");
        firstTurnHeld.await();
        CountDownLatch answered = new CountDownLatch(1);
        Thread[] interruptedThread = new Thread[1];
        Object[] told = new Object[2];
        Future<?> second = requests.submit(() -> {
            interruptedThread[0] = Thread.currentThread();
            told[0] = queue.submit(new TallyQueue.Request(KEY, named("second"), Instant.EPOCH));
            told[1] = Thread.currentThread().isInterrupted();
            answered.countDown();
        });
        awaitQueued(queue, 1);
        Future<Object> third = submit(queue, "third");
        awaitQueued(queue, 2);
        interruptedThread[0].interrupt();

        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(third.get(10, TimeUnit.SECONDS)).as("served in the interrupted request's turn").isEqualTo("third");
        second.get(10, TimeUnit.SECONDS);
        assertThat(told).containsExactly("second", true);
        assertThat(turns).containsExactly(List.of("first"), List.of("second", "third"));
    }

    /** A server that records each turn, and holds the first until {@link #release}. */
    private Consumer<List<TallyQueue.Request>> heldFirst(Consumer<List<TallyQueue.Request>> serve) {
        return turn -> {
            turns.add(turn.stream().map(TallyQueueTest::name).toList());
            if (turns.size() == 1) {
                firstTurnHeld.countDown();
                await(release);
            }
            serve.accept(turn);
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Future<Object> submit(TallyQueue queue, String name) {
        return requests.submit(() -> queue.submit(new TallyQueue.Request(KEY, named(name), Instant.EPOCH)));
    }

    private static void awaitQueued(TallyQueue queue, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queue.waiting() < count) {
            assertThat(System.nanoTime()).as("%d requests queued in time", count).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** The name a request carries is its rule's answer, so a server can tell the requests apart. */
    private static ClientRule<Object, Object> named(String name) {
        return (current, now) -> new ClientRule.Outcome<>(null, now, name);
    }

    private static String name(TallyQueue.Request request) {
        return (String) request.rule.apply(null, request.now).answer();
    }
}
