package dev.starlib.auth.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-client rules under any arrival pattern: token buckets keep their promise, back-off only grows. */
class FairShareRulePropertyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Provide
    Arbitrary<List<Long>> arrivals() {
        return Arbitraries.longs().between(0, 5_000).list().ofMinSize(1).ofMaxSize(300);
    }

    /** The case the property found: one request per 114 s was told to wait a nanosecond more than 114 s. */
    @Example
    void anEmptyBucketIsNeverToldToWaitLongerThanOneTokenTakes() {
        for (int perSeconds = 1; perSeconds <= 600; perSeconds++) {
            TokenBucket.Budget budget = new TokenBucket.Budget(1, Duration.ofSeconds(perSeconds));
            ClientRule<TokenBucket, TokenBucket.Admission> take = TokenBucket.take(budget);
            TokenBucket emptied = take.apply(null, T0).next();
            ClientRule.Outcome<TokenBucket, TokenBucket.Admission> refused = take.apply(emptied, T0);
            Duration retryAfter = ((TokenBucket.Admission.Refused) refused.answer()).retryAfter();
            assertThat(retryAfter).as("1 per %d s", perSeconds).isEqualTo(budget.per());
            assertThat(take.apply(refused.next(), T0.plus(retryAfter)).answer())
                    .isEqualTo(new TokenBucket.Admission.Admitted());
        }
    }

    /** Over any stretch of time L, a bucket admits at most its burst plus what refills in L. */
    @Property(tries = 300)
    void aBucketNeverAdmitsMoreThanItsBurstPlusItsRefill(@ForAll("arrivals") List<Long> gapsMillis,
                                                          @ForAll @IntRange(min = 1, max = 50) int requests,
                                                          @ForAll @IntRange(min = 1, max = 120) int perSeconds) {
        TokenBucket.Budget budget = new TokenBucket.Budget(requests, Duration.ofSeconds(perSeconds));
        ClientRule<TokenBucket, TokenBucket.Admission> take = TokenBucket.take(budget);
        TokenBucket bucket = null;
        Instant now = T0;
        List<Instant> admitted = new ArrayList<>();
        for (long gap : gapsMillis) {
            now = now.plusMillis(gap);
            ClientRule.Outcome<TokenBucket, TokenBucket.Admission> outcome = take.apply(bucket, now);
            if (outcome.answer() instanceof TokenBucket.Admission.Admitted) {
                admitted.add(now);
            } else {
                TokenBucket.Admission.Refused refused = (TokenBucket.Admission.Refused) outcome.answer();
                assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(budget.per());
                // Waiting as told is enough: the next token is there.
                assertThat(take.apply(outcome.next(), now.plus(refused.retryAfter())).answer())
                        .isEqualTo(new TokenBucket.Admission.Admitted());
            }
            // Once forgotten, a fresh bucket must be no more generous than the kept one would be.
            assertThat(outcome.forgetAt()).isAfterOrEqualTo(now);
            bucket = outcome.next();
        }
        double perMilli = requests / (double) budget.per().toMillis();
        for (int i = 0; i < admitted.size(); i++) {
            for (int j = i; j < admitted.size(); j++) {
                long span = Duration.between(admitted.get(i), admitted.get(j)).toMillis();
                assertThat(j - i + 1).isLessThanOrEqualTo((int) Math.floor(requests + span * perMilli + 1e-9));
            }
        }
    }

    @Property(tries = 200)
    void aFullBucketIsTheSameAsNoBucket(@ForAll @IntRange(min = 1, max = 50) int requests,
                                        @ForAll @IntRange(min = 1, max = 600) int spentMillis) {
        TokenBucket.Budget budget = new TokenBucket.Budget(requests, Duration.ofSeconds(60));
        ClientRule.Outcome<TokenBucket, TokenBucket.Admission> spent = TokenBucket.take(budget).apply(null, T0);
        Instant forgetAt = spent.forgetAt();
        Instant later = forgetAt.plusMillis(spentMillis);

        assertThat(TokenBucket.take(budget).apply(spent.next(), later).next())
                .isEqualTo(TokenBucket.take(budget).apply(null, later).next());
    }

    @Property(tries = 200)
    void wrongPasswordsOnlyEverLengthenTheWaitUpToItsCap(@ForAll @IntRange(min = 1, max = 80) int failures) {
        ClientRule<GuessingBackoff, GuessingBackoff.Verdict> failed = GuessingBackoff.failed();
        GuessingBackoff tally = null;
        Duration previous = Duration.ZERO;
        Instant now = T0;
        for (int i = 1; i <= failures; i++) {
            ClientRule.Outcome<GuessingBackoff, GuessingBackoff.Verdict> outcome = failed.apply(tally, now);
            Duration wait = outcome.answer() instanceof GuessingBackoff.Verdict.Wait w ? w.retryAfter() : Duration.ZERO;
            assertThat(wait.isZero()).isEqualTo(i < GuessingBackoff.FREE_ATTEMPTS);
            assertThat(wait).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(GuessingBackoff.LONGEST_WAIT);
            assertThat(GuessingBackoff.check().apply(outcome.next(), now).answer())
                    .isEqualTo(wait.isZero() ? new GuessingBackoff.Verdict.MayTry()
                            : new GuessingBackoff.Verdict.Wait(wait, i));
            previous = wait;
            tally = outcome.next();
            now = now.plus(wait);
        }
        assertThat(GuessingBackoff.succeeded().apply(tally, now).next()).isNull();
    }
}
