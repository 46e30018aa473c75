package dev.starlib.auth.http.observe;

/**
 * The app token's counters since the service started: calls to SoundCloud for it by method and outcome, and the
 * requests for it that were served or not.
 */
public record AppTokenCounters(long grants, long failedGrants, long refreshes, long failedRefreshes, long served,
                               long notServed) {
}
