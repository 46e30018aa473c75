package dev.starlib.auth.http.observe;

/** The counters an operator looks at first, summed over their labels since the service started. */
public record KeyCounters(long loginsStarted, long loginsSucceeded, long loginsFailed, long refreshesSucceeded,
                          long refreshesFailed, long upstreamCallsFailed, long storeErrors) {
}
