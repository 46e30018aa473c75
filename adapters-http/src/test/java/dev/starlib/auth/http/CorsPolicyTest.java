package dev.starlib.auth.http;

import dev.starlib.auth.domain.Origin;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CorsPolicyTest {

    private static final Origin FRONTEND = Origin.parse("http://localhost:3000").orElseThrow();

    @Test
    void configuredOriginIsAllowedExactly() {
        CorsPolicy policy = new CorsPolicy(Set.of(FRONTEND), false);

        assertThat(policy.allows("http://localhost:3000")).isTrue();
        assertThat(policy.allows("http://localhost:3001")).isFalse();
        assertThat(policy.allows("https://localhost:3000")).isFalse();
        assertThat(policy.allows("http://localhost:3000.evil.example")).isFalse();
    }

    @Test
    void anyLocalhostPortIsAllowedOnlyWhenAskedFor() {
        assertThat(new CorsPolicy(Set.of(), true).allows("http://localhost:5173")).isTrue();
        assertThat(new CorsPolicy(Set.of(), false).allows("http://localhost:5173")).isFalse();
    }

    @Test
    void anyLocalhostPortMeansPlainHttpOnLocalhostOnly() {
        CorsPolicy policy = new CorsPolicy(Set.of(), true);

        assertThat(policy.allows("https://localhost:5173")).isFalse();
        assertThat(policy.allows("http://127.0.0.1:5173")).isFalse();
        assertThat(policy.allows("http://localhost.evil.example:5173")).isFalse();
        assertThat(policy.allows("http://user@localhost:5173")).isFalse();
    }

    @Test
    void garbageOriginsAreNotAllowed() {
        CorsPolicy policy = new CorsPolicy(Set.of(FRONTEND), true);

        assertThat(policy.allows(null)).isFalse();
        assertThat(policy.allows("")).isFalse();
        assertThat(policy.allows("null")).isFalse();
        assertThat(policy.allows("http://localhost:3000/path")).isFalse();
        assertThat(policy.allows("http://localhost:3000\r\nX-Injected: 1")).isFalse();
    }

    @Test
    void originsAreCopied() {
        java.util.HashSet<Origin> origins = new java.util.HashSet<>(Set.of(FRONTEND));
        CorsPolicy policy = new CorsPolicy(origins, false);
        origins.clear();

        assertThat(policy.allows("http://localhost:3000")).isTrue();
    }
}
