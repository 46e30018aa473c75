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

    /** A server that records each turn, and holds the first until {@link #release}. */
    private Consumer<List<TallyQueue.Request>> heldFirst(Consumer<List<TallyQueue.Request>> serve) {
        return turn -> {
            turns.add(turn.stream().map(TallyQueueTest::name).toList());
            if (turns.size() == 1) {
                firstTurnHeld.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            serve.accept(turn);
        };
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
