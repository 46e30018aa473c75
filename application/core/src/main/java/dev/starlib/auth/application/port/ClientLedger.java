package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.ClientRule;

import java.time.Instant;

/**
 * What is tallied per client (token buckets per endpoint, wrong admin passwords), under a scope that names the
 * tally ({@code authorize}, {@code admin-login}, ...). Like {@link SessionStore#update}, a ledger applies a pure
 * {@link ClientRule} atomically per (scope, client) and keeps what it returns; what a tally means is the domain's.
 * A ledger's own job is bounded memory: it forgets a tally from its {@code forgetAt} on, and may forget the
 * least recently used ones when it holds too many (a forgotten tally is a fresh start, never a refusal).
 * <p>
 * The memory ledger counts per process; a ledger in a shared store (Redis) counts across instances with the same
 * rules, by a compare-and-set on the tally.
 */
public interface ClientLedger {

    <S, A> A update(String scope, ClientKey client, ClientRule<S, A> rule, Instant now);

    /** Keeps nothing: every tally starts fresh, so nobody is ever limited (for tests of other things). */
    ClientLedger NONE = new ClientLedger() {
        @Override
        public <S, A> A update(String scope, ClientKey client, ClientRule<S, A> rule, Instant now) {
            return rule.apply(null, now).answer();
        }
    };
}
