package dev.starlib.auth.http.observe;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last few login outcomes, newest first; the oldest drop out so memory stays bounded under any traffic. */
final class RecentLogins {

    private final int capacity;
    private final Deque<RecentLogin> logins;

    RecentLogins(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.logins = new ArrayDeque<>(capacity);
    }

    synchronized void add(RecentLogin login) {
        if (logins.size() == capacity) {
            logins.removeLast();
        }
        logins.addFirst(login);
    }

    synchronized List<RecentLogin> newestFirst() {
        return List.copyOf(logins);
    }
}
