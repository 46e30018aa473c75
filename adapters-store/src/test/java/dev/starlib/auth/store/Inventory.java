package dev.starlib.auth.store;

import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Counting and listing unexpired sessions by a scan of them all: the brute-force recount that the stores' own
 * counters and indexes are checked against (no store scans any more, issue 12).
 */
public final class Inventory {

    private static final Comparator<SessionSummary> OLDEST_FIRST =
            Comparator.comparing(SessionSummary::since).thenComparing(summary -> summary.key().hex());

    private Inventory() {
    }

    public static SessionCounts counts(Collection<OAuthSession> sessions, Instant now) {
        SessionCounts counts = SessionCounts.NONE;
        for (OAuthSession session : sessions) {
            if (!session.isExpiredAt(now)) {
                counts = counts.plus(session.stage());
            }
        }
        return counts;
    }

    public static List<SessionSummary> oldest(Collection<OAuthSession> sessions, Instant now, int limit) {
        return sessions.stream()
                .filter(session -> !session.isExpiredAt(now))
                .map(OAuthSession::summary)
                .sorted(OLDEST_FIRST)
                .limit(limit)
                .toList();
    }
}
