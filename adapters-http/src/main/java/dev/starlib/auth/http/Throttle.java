package dev.starlib.auth.http;

import dev.starlib.auth.domain.TokenBucket;
import dev.starlib.auth.domain.TokenBucket.Admission;
import dev.starlib.auth.domain.TokenBucket.Budget;
import dev.starlib.auth.http.client.Client;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Duration;

/**
 * Works out who each API request comes from (kept in the request's context for the routes), and spends one token
 * of that client's budget for the endpoint; an empty bucket is a {@code 429 too_many_requests} with
 * {@code Retry-After}, before any use case runs. Preflights never get here (the CORS filter answers them), so a
 * browser's preflight costs its page nothing.
 */
final class Throttle implements Filter {

    private static final System.Logger LOG = System.getLogger(Throttle.class.getName());

    private final FairUse fairUse;

    Throttle(FairUse fairUse) {
        this.fairUse = fairUse;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (!ApiPath.covers(request.prologue())) {
            chain.proceed();
            return;
        }
        Client client = fairUse.clients().of(request);
        request.context().register(client);
        String endpoint = endpointName(request.prologue().uriPath().path());
        Budget budget = fairUse.budgets().get(endpoint);
        if (budget == null || Method.OPTIONS.equals(request.prologue().method())) {
            chain.proceed();
            return;
        }
        Admission admission;
        try {
            admission = fairUse.ledger().update("rate:" + endpoint, client.key(), TokenBucket.take(budget),
                    fairUse.clock().instant());
        } catch (RuntimeException ledgerDown) {
            // A budget that cannot be read is no reason to refuse a sign-in: the store's quota still stands.
            LOG.log(System.Logger.Level.WARNING, "rate limit not applied: the client ledger failed ("
                    + ledgerDown.getClass().getSimpleName() + ")");
            chain.proceed();
            return;
        }
        switch (admission) {
            case Admission.Admitted admitted -> chain.proceed();
            case Admission.Refused refused -> {
                fairUse.events().clientLimited(endpoint, "rate", client.address().masked());
                tooManyRequests(response, refused.retryAfter(),
                        "Too many requests from your network to this endpoint. Try again in a moment.");
            }
        }
    }

    static void tooManyRequests(io.helidon.webserver.http.ServerResponse response, Duration retryAfter, String detail) {
        response.header(io.helidon.http.HeaderNames.RETRY_AFTER, String.valueOf(wholeSeconds(retryAfter)));
        ProblemWriter.write(response, Problem.tooManyRequests(detail));
    }

    static long wholeSeconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /** {@code /auth/soundcloud/sign-out} is {@code sign-out}; the root itself and deeper paths have no name. */
    static String endpointName(String path) {
        if (path == null || !path.startsWith(ApiPath.ROOT + "/")) {
            return "";
        }
        String rest = path.substring(ApiPath.ROOT.length() + 1);
        return rest.indexOf('/') >= 0 ? "" : rest;
    }
}
