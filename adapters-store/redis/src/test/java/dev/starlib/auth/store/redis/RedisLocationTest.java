package dev.starlib.auth.store.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisLocationTest {

    @Test
    void plainTlsAndSentinelUrlsAreReadAndDescribedWithoutCredentials() {
        assertThat(RedisLocation.parse("redis://:s3cr3t-pw@cache.internal:6380/2").describe())
                .isEqualTo("redis://cache.internal:6380/2");
        assertThat(RedisLocation.parse("rediss://user:s3cr3t-pw@cache.internal:6380").describe())
                .isEqualTo("rediss://cache.internal:6380/0");
        RedisLocation sentinel = RedisLocation.parse("redis-sentinel://s3cr3t-pw@10.0.0.1:26379,10.0.0.2:26379/1#starlib");
        assertThat(sentinel.viaSentinel()).isTrue();
        assertThat(sentinel.describe()).isEqualTo("redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/1 (primary 'starlib')");
        assertThat(sentinel.toString()).doesNotContain("s3cr3t-pw");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://:s3cr3t-pw@cache:6379", "cache:6379", "redis-sentinel://:s3cr3t-pw@10.0.0.1:26379",
            "redis://:s3cr3t-pw@", "redis://:s3cr3t-pw@cache:notaport"})
    void unusableUrlsAreRefusedWithoutRepeatingThem(String url) {
        assertThatThrownBy(() -> RedisLocation.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("s3cr3t-pw").doesNotContain("cache");
    }

    @Test
    void prefixesThatWouldMoveTheHashTagAreRefused() {
        RedisLocation location = RedisLocation.parse("redis://127.0.0.1:6379");
        assertThat(new RedisSettings(location, "starlib:", Duration.ofSeconds(2), 0).keyPrefix()).isEqualTo("starlib:");
        assertThatThrownBy(() -> new RedisSettings(location, "star{lib}:", Duration.ofSeconds(2), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisSettings(location, "star lib:", Duration.ofSeconds(2), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
