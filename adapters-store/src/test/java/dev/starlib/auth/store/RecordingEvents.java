package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a store reported: errors by operation (to check that skipped records are counted, or that an outage is), the
 * distinct command names it timed and how many of each it sent, and its reconnections. Shared with the Redis store's tests through the test-jar.
 */
public final class RecordingEvents implements AuthEvents {

    public final List<String> storeErrors = new CopyOnWriteArrayList<>();
    public final CopyOnWriteArrayList<String> commands = new CopyOnWriteArrayList<>();
    public final AtomicInteger reconnects = new AtomicInteger();
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();

    public long storeErrors(String operation) {
        return storeErrors.stream().filter(operation::equals).count();
    }

    @Override
    public void loginStarted() {
    }

    @Override
    public void loginFinished(Flow flow, String outcome, String stateHint) {
    }

    @Override
    public void refreshFinished(String outcome) {
    }

    @Override
    public void upstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration) {
    }

    @Override
    public void storeError(String operation) {
        storeErrors.add(operation);
    }

    @Override
    public void storeCommand(String command, Duration took) {
        commands.addIfAbsent(command);
        sent.computeIfAbsent(command, name -> new LongAdder()).increment();
    }

    /** How many of each command were sent since the start or the last {@link #resetCalls()}, by name. */
    public Map<String, Long> calls() {
        Map<String, Long> calls = new TreeMap<>();
        sent.forEach((command, count) -> calls.put(command, count.sum()));
        return calls;
    }

    public void resetCalls() {
        sent.clear();
    }

    @Override
    public void storeReconnected() {
        reconnects.incrementAndGet();
    }
}
