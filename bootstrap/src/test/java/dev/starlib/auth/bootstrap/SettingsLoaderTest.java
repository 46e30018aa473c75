package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.soundcloud.ClientSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.starlib.auth.domain.TokenBucket;
import dev.starlib.auth.http.client.TrustedProxies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsApplyWhenNothingIsSet() {
        ServiceSettings settings = SettingsLoader.load(Map.of(), dir);

        assertThat(settings.credentialsConfigured()).isFalse();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8000);
        assertThat(settings.redirectUri()).hasToString("http://127.0.0.1:8000/auth/soundcloud/redirect");
        assertThat(settings.soundCloud()).isEqualTo(new SoundCloudMode.Live(URI.create("https://secure.soundcloud.com"),
                URI.create("https://api.soundcloud.com")));
        assertThat(settings.upstreamTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(SettingsLoader.sorted(settings.returnToPolicy().allowedOrigins())).containsExactlyInAnyOrder(
                "http://localhost:3000", "http://127.0.0.1:8000", "https://tauri.localhost", "tauri://localhost",
                "starlib://localhost");
        assertThat(settings.cors().allows("http://localhost:3000")).isTrue();
        assertThat(settings.cors().allows("http://localhost:5173")).isTrue();
        assertThat(settings.cors().allows("tauri://localhost")).isTrue();
        assertThat(settings.cors().allows("https://evil.example")).isFalse();
        assertThat(settings.defaultReturnTo().uri()).hasToString("http://localhost:3000/auth/soundcloud/callback");
        assertThat(settings.pendingTtl()).isEqualTo(Duration.ofSeconds(600));
        assertThat(settings.resultTtl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.store()).isEqualTo(new StoreSettings.Memory(10_000));
        assertThat(settings.adminPort()).isEqualTo(8081);
        assertThat(settings.adminUser()).isEqualTo("admin");
        assertThat(settings.adminPassword()).isEmpty();
        assertThat(settings.internalApiKey()).isEmpty();
        assertThat(settings.appTokenRenewBefore()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void internalApiTokenIsReadButNeverShown() {
        String key = "k3y-".repeat(10);
        ServiceSettings settings = SettingsLoader.load(Map.of("INTERNAL_API_TOKEN", key,
                "APP_TOKEN_RENEW_BEFORE_SECONDS", "120"), dir);

        assertThat(settings.internalApiKey()).isPresent();
        assertThat(settings.appTokenRenewBefore()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.toString()).contains("internalApiToken=<set>", "appTokenRenewBefore=120s")
                .doesNotContain(key);
        assertThat(OperatorListener.summary(settings).toString()).doesNotContain(key).contains("Internal API");
    }

    @Test
    void aWeakOrMalformedInternalApiTokenIsRefusedByNameWithoutItsValue() {
        for (String weak : List.of("short-key", "has spaces in it but is long enough to pass", "ü".repeat(40))) {
            assertThatThrownBy(() -> SettingsLoader.load(Map.of("INTERNAL_API_TOKEN", weak), dir))
                    .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                    .hasMessageStartingWith("INTERNAL_API_TOKEN must be 32 to 512 visible ASCII characters")
                    .hasMessageNotContaining(weak);
        }
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("APP_TOKEN_RENEW_BEFORE_SECONDS", "0"), dir))
                .hasMessageStartingWith("APP_TOKEN_RENEW_BEFORE_SECONDS must be between 1 and 86400");
    }

    @Test
    void theAppTokenScheduleTicksAFifthOfTheWindowWithinReason() {
        assertThat(StarlibAuth.appTokenTick(Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(30));
        assertThat(StarlibAuth.appTokenTick(Duration.ofSeconds(100))).isEqualTo(Duration.ofSeconds(20));
        assertThat(StarlibAuth.appTokenTick(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
        assertThat(StarlibAuth.appTokenTick(Duration.ofHours(2))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void adminPasswordIsReadButNeverShown() {
        ServiceSettings settings = SettingsLoader.load(Map.of("ADMIN_USER", "ops", "ADMIN_PASSWORD", "pa55-word",
                "ADMIN_PORT", "9091"), dir);

        assertThat(settings.adminUser()).isEqualTo("ops");
        assertThat(settings.adminPassword()).contains("pa55-word");
        assertThat(settings.adminPort()).isEqualTo(9091);
        assertThat(settings.toString()).contains("adminPassword=<set>", "adminUser=ops").doesNotContain("pa55-word");
    }

    @Test
    void adminPortCannotBeThePublicPort() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("ADMIN_PORT", "8000"), dir))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("ADMIN_PORT must differ from BACKEND_PORT");
    }

    @Test
    void adminUserWithAColonIsRefused() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("ADMIN_USER", "ad:min"), dir))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("ADMIN_USER");
    }

    @Test
    void environmentOverridesDotEnvWhichOverridesDefaults() throws IOException {
        Files.writeString(dir.resolve(".env"), "CLIENT_ID=from-dotenv\nCLIENT_SECRET=dotenv-secret\nBACKEND_PORT=9001\n");

        ServiceSettings settings = SettingsLoader.load(Map.of("BACKEND_PORT", "9002"), dir);

        assertThat(settings.clientId()).contains("from-dotenv");
        assertThat(settings.clientSecret()).contains(new ClientSecret("dotenv-secret"));
        assertThat(settings.port()).isEqualTo(9002);
        assertThat(settings.credentialsConfigured()).isTrue();
    }

    @Test
    void blankCredentialsCountAsMissing() {
        ServiceSettings settings = SettingsLoader.load(Map.of("CLIENT_ID", "  ", "CLIENT_SECRET", ""), dir);

        assertThat(settings.credentialsConfigured()).isFalse();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        ServiceSettings settings = SettingsLoader.load(Map.of("CLIENT_ID", "id", "CLIENT_SECRET", "hunter2-secret"), dir);

        assertThat(settings.toString()).contains("clientSecret=<set>").doesNotContain("hunter2-secret");
    }

    @Test
    void malformedValuesNameTheVariableNotTheValue() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("BACKEND_PORT", "eighty"), dir))
                .hasMessageContaining("BACKEND_PORT").hasMessageNotContaining("eighty");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_TIMEOUT_MS", "0"), dir))
                .hasMessageContaining("SOUNDCLOUD_TIMEOUT_MS");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_AUTH_BASE_URL", "not a url"), dir))
                .hasMessageContaining("SOUNDCLOUD_AUTH_BASE_URL");
    }

    @Test
    void valuesAreTakenVerbatimWithoutInterpolation() {
        ServiceSettings settings = SettingsLoader.load(Map.of("CLIENT_ID", "id", "CLIENT_SECRET", "a${b}c"), dir);

        assertThat(settings.clientSecret()).contains(new ClientSecret("a${b}c"));
    }

    @Test
    void liveIsTheDefaultMode() {
        assertThat(SettingsLoader.load(Map.of(), dir).sandbox()).isEmpty();
    }

    @Test
    void sandboxModeNeedsNoCredentials() {
        ServiceSettings settings = SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox"), dir);

        assertThat(settings.credentialsConfigured()).isTrue();
        assertThat(settings.clientId()).contains(SettingsLoader.SANDBOX_CLIENT_ID);
        assertThat(settings.clientSecret()).hasValueSatisfying(secret -> assertThat(secret.value()).hasSizeGreaterThanOrEqualTo(40));
        assertThat(settings.toString()).contains("soundCloud=sandbox").doesNotContain(settings.clientSecret().get().value());
        assertThat(settings.sandbox()).hasValueSatisfying(sandbox -> {
            assertThat(sandbox.tokenLifetime()).isEqualTo(Duration.ofHours(1));
            assertThat(sandbox.autoApprove()).isFalse();
            assertThat(sandbox.allowRemote()).isFalse();
        });
    }

    @Test
    void sandboxSecretIsFreshForEachStart() {
        assertThat(SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox"), dir).clientSecret())
                .isNotEqualTo(SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox"), dir).clientSecret());
    }

    @Test
    void sandboxKeepsCredentialsThatAreSet() {
        ServiceSettings settings = SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "CLIENT_ID", "mine",
                "CLIENT_SECRET", "my-secret"), dir);

        assertThat(settings.clientId()).contains("mine");
        assertThat(settings.clientSecret()).contains(new ClientSecret("my-secret"));
    }

    @Test
    void sandboxSwitchesAreRead() {
        ServiceSettings settings = SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "Sandbox",
                "SANDBOX_TOKEN_LIFETIME_SECONDS", "5", "SANDBOX_AUTO_APPROVE", "true"), dir);

        assertThat(settings.sandbox()).hasValueSatisfying(sandbox -> {
            assertThat(sandbox.tokenLifetime()).isEqualTo(Duration.ofSeconds(5));
            assertThat(sandbox.autoApprove()).isTrue();
        });
    }

    @Test
    void malformedSandboxSettingsNameTheVariable() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "fake"), dir))
                .hasMessageContaining("SOUNDCLOUD_MODE");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "SANDBOX_AUTO_APPROVE", "yes"), dir))
                .hasMessageContaining("SANDBOX_AUTO_APPROVE");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox",
                "SANDBOX_TOKEN_LIFETIME_SECONDS", "0"), dir)).hasMessageContaining("SANDBOX_TOKEN_LIFETIME_SECONDS");
    }

    @Test
    void sandboxRefusesANonLoopbackHost() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_HOST", "0.0.0.0"), dir))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageContaining("BACKEND_HOST=0.0.0.0").hasMessageContaining("SANDBOX_ALLOW_REMOTE=true");
    }

    @Test
    void sandboxAcceptsLoopbackHostsAndAnExplicitOptIn() {
        assertThat(SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_HOST", "localhost"), dir).sandbox()).isPresent();
        assertThat(SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_HOST", "::1"), dir).sandbox()).isPresent();
        assertThat(SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_HOST", "0.0.0.0",
                "SANDBOX_ALLOW_REMOTE", "true"), dir).sandbox()).hasValueSatisfying(s -> assertThat(s.allowRemote()).isTrue());
    }

    @Test
    void liveModeDoesNotCareAboutTheHost() {
        assertThat(SettingsLoader.load(Map.of("BACKEND_HOST", "0.0.0.0"), dir).host()).isEqualTo("0.0.0.0");
    }

    @Test
    void sandboxIsReachedOverLoopback() {
        assertThat(SandboxWiring.baseUrl(sandboxAt("127.0.0.1"), 8000)).hasToString("http://127.0.0.1:8000/sandbox/soundcloud");
        assertThat(SandboxWiring.baseUrl(sandboxAt("::1"), 8000)).hasToString("http://[::1]:8000/sandbox/soundcloud");
        assertThat(SandboxWiring.baseUrl(sandboxAt("[::1]"), 8000)).hasToString("http://[::1]:8000/sandbox/soundcloud");
        assertThat(SandboxWiring.baseUrl(sandboxAt("0.0.0.0"), 9)).hasToString("http://127.0.0.1:9/sandbox/soundcloud");
    }

    private SandboxOptions sandboxAt(String host) {
        return SettingsLoader.load(Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_HOST", host,
                "SANDBOX_ALLOW_REMOTE", "true"), dir).sandbox().orElseThrow();
    }

    @Test
    void unresolvableHostIsRefusedByName() {
        for (String host : new String[] {"999.1.1.1", "nonexistent.invalid"}) {
            assertThatThrownBy(() -> SettingsLoader.load(Map.of("BACKEND_HOST", host), dir))
                    .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                    .hasMessageStartingWith("BACKEND_HOST=" + host + " ");
        }
    }

    @Test
    void everyRefusalHappensBeforeAnythingIsOpened() {
        Map<String, String> storeSettings = Map.of("SESSION_STORE", "file",
                "SESSION_STORE_PATH", dir.resolve("never-created").toString());
        for (Map<String, String> bad : List.of(
                Map.of("ALLOWED_RETURN_ORIGINS", "not an origin"),
                Map.of("DEFAULT_RETURN_TO", "https://evil.example/callback"),
                Map.of("CORS_ALLOWED_ORIGINS", "http://ok.example,nonsense"),
                Map.of("SESSION_STORE_KEY", "dG9vLXNob3J0"),
                Map.of("CLIENT_ID", "id", "CLIENT_SECRET", "secret", "SOUNDCLOUD_AUTH_BASE_URL", "http://plain.example"))) {
            Map<String, String> environment = new java.util.HashMap<>(storeSettings);
            environment.putAll(bad);

            assertThatThrownBy(() -> SettingsLoader.load(environment, dir))
                    .as("refused: %s", bad.keySet())
                    .isInstanceOf(SettingsLoader.InvalidSettingException.class);
        }
        assertThat(dir.resolve("never-created")).doesNotExist();
    }

    @Test
    void fileStoreSettingsAreTyped() {
        ServiceSettings settings = SettingsLoader.load(Map.of("SESSION_STORE", "FILE", "SESSION_STORE_PATH", "/var/lib/x",
                "SESSION_STORE_CAPACITY", "7"), dir);

        assertThat(settings.store()).isEqualTo(new StoreSettings.File(Path.of("/var/lib/x"), java.util.Optional.empty(), 7));
    }

    private static final String KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=";

    @Test
    void redisStoreSettingsAreTypedAndDescribedWithoutSecrets() {
        ServiceSettings settings = SettingsLoader.load(Map.of("SESSION_STORE", "redis",
                "REDIS_URL", "redis-sentinel://:s3nt1nel-pw@10.0.0.1:26379,10.0.0.2:26379/3#starlib",
                "REDIS_KEY_PREFIX", "auth-prod:", "REDIS_TIMEOUT_MS", "1500", "REDIS_WAIT_REPLICAS", "1",
                "SESSION_STORE_KEY", KEY, "SESSION_STORE_CAPACITY", "500"), dir);

        StoreSettings.Redis redis = (StoreSettings.Redis) settings.store();
        assertThat(redis.capacity()).isEqualTo(500);
        assertThat(redis.redis().keyPrefix()).isEqualTo("auth-prod:");
        assertThat(redis.redis().timeout()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(redis.redis().waitReplicas()).isEqualTo(1);
        assertThat(redis.redis().location().viaSentinel()).isTrue();
        assertThat(redis.describe()).contains("10.0.0.1:26379,10.0.0.2:26379/3", "'starlib'", "auth-prod:")
                .doesNotContain("s3nt1nel-pw", KEY);
        assertThat(settings.toString()).doesNotContain("s3nt1nel-pw", KEY);
    }

    @Test
    void redisDefaultsAreALocalRedisAShortTimeoutAndThePrimarysWord() {
        StoreSettings.Redis redis = (StoreSettings.Redis) SettingsLoader.load(Map.of("SESSION_STORE", "redis",
                "SESSION_STORE_KEY", KEY), dir).store();

        assertThat(redis.redis().describe()).startsWith("redis://127.0.0.1:6379/0, prefix 'starlib:', timeout 2000 ms");
        assertThat(redis.redis().waitReplicas()).isZero();
    }

    @Test
    void redisStoreRefusesToStartWithoutASharedKeyOrWithABadUrlNamingTheVariable() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SESSION_STORE", "redis"), dir))
                .hasMessageStartingWith("SESSION_STORE_KEY must be set for SESSION_STORE=redis");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SESSION_STORE", "redis", "SESSION_STORE_KEY", KEY,
                "REDIS_URL", "http://:pw-in-url@cache:6379"), dir))
                .hasMessageStartingWith("REDIS_URL ").message().doesNotContain("pw-in-url");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SESSION_STORE", "redis", "SESSION_STORE_KEY", KEY,
                "REDIS_URL", "redis-sentinel://10.0.0.1:26379"), dir))
                .hasMessageContaining("REDIS_URL names Sentinels but no primary");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SESSION_STORE", "redis", "SESSION_STORE_KEY", KEY,
                "REDIS_KEY_PREFIX", "a{b}"), dir)).hasMessageStartingWith("REDIS_KEY_PREFIX");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SESSION_STORE", "redis", "SESSION_STORE_KEY", KEY,
                "REDIS_TIMEOUT_MS", "60001"), dir)).hasMessageStartingWith("REDIS_TIMEOUT_MS");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SESSION_STORE", "redis", "SESSION_STORE_KEY", KEY,
                "REDIS_WAIT_REPLICAS", "-1"), dir)).hasMessageStartingWith("REDIS_WAIT_REPLICAS");
    }

    @Test
    void soundCloudUrlsThatTheAdapterWouldRefuseAreRefusedByVariable() {
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("CLIENT_ID", "id", "CLIENT_SECRET", "s",
                "SOUNDCLOUD_API_BASE_URL", "http://api.example"), dir))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("SOUNDCLOUD_API_BASE_URL must use https");
    }

    @Test
    void fairSharesDefaultToLimitsNoHouseholdMeetsAndTrustNoProxy() {
        FairUseSettings fairUse = SettingsLoader.load(Map.of(), dir).fairUse();

        assertThat(fairUse.proxies().any()).isFalse();
        assertThat(fairUse.pendingPerClient()).isEqualTo(100);
        assertThat(fairUse.budgets()).containsEntry("authorize", new TokenBucket.Budget(60, Duration.ofMinutes(1)))
                .containsEntry("result", new TokenBucket.Budget(1200, Duration.ofMinutes(1)))
                .containsEntry("sign-out", new TokenBucket.Budget(60, Duration.ofMinutes(1)))
                .containsEntry("refresh", new TokenBucket.Budget(120, Duration.ofMinutes(1)));
        assertThat(fairUse.bindPickup()).isFalse();
        assertThat(fairUse.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fairUse.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(fairUse.connectionsPerClient()).isEqualTo(128);
        assertThat(fairUse.clientHashKey()).isEmpty();
    }

    @Test
    void fairShareSettingsAreReadAndTheHashKeyNeverShown() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        ServiceSettings settings = SettingsLoader.load(Map.of("TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::1",
                "TRUSTED_PROXY_HEADER", "forwarded", "RATE_LIMIT_RESULT", "5/s", "PICKUP_BINDING", "client",
                "CLIENT_HASH_KEY", key), dir);

        assertThat(settings.fairUse().proxies().blocks()).hasSize(2);
        assertThat(settings.fairUse().proxies().header()).isEqualTo(TrustedProxies.Header.FORWARDED);
        assertThat(settings.fairUse().budgets()).containsEntry("result", new TokenBucket.Budget(5, Duration.ofSeconds(1)));
        assertThat(settings.fairUse().bindPickup()).isTrue();
        assertThat(settings.toString()).contains("clientHashKey=<set>", "pickupBinding=client").doesNotContain(key);
    }

    @Test
    void malformedFairShareSettingsNameTheVariable() {
        Map<String, String> refused = Map.of(
                "RATE_LIMIT_AUTHORIZE", "sixty",
                "RATE_LIMIT_REFRESH", "10/day",
                "TRUSTED_PROXIES", "lb.internal",
                "TRUSTED_PROXY_HEADER", "X-Real-IP",
                "PICKUP_BINDING", "ip",
                "PENDING_PER_CLIENT", "0",
                "CONNECTIONS_PER_CLIENT", "none",
                "CLIENT_HASH_KEY", "c2hvcnQ=");
        refused.forEach((variable, value) -> assertThatThrownBy(() -> SettingsLoader.load(Map.of(variable, value), dir))
                .as(variable)
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith(variable)
                .satisfies(e -> {
                    if (variable.equals("CLIENT_HASH_KEY")) {
                        assertThat(e.getMessage()).doesNotContain(value);
                    }
                }));
    }

    @Test
    void anAddressOfAnotherMachineIsRefusedByName() {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737): never an address of this machine.
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("BACKEND_HOST", "192.0.2.1"), dir))
                .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                .hasMessageStartingWith("BACKEND_HOST=192.0.2.1 is not an address of this machine");
    }

    @Test
    void theGeneratedPasswordFileIsRelativeToTheWorkingDirectory() {
        assertThat(SettingsLoader.load(Map.of(), dir).adminPasswordFile()).isEqualTo(dir.resolve("data/admin-password"));
        assertThat(SettingsLoader.load(Map.of("ADMIN_PASSWORD_FILE", "/run/starlib/admin"), dir).adminPasswordFile())
                .isEqualTo(Path.of("/run/starlib/admin"));
    }

    @Test
    void shutdownGraceIsBoundedAndRefusedByName() {
        assertThat(SettingsLoader.load(Map.of(), dir).shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
        assertThat(SettingsLoader.load(Map.of("SHUTDOWN_GRACE_SECONDS", "0"), dir).shutdownGrace()).isZero();
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SHUTDOWN_GRACE_SECONDS", "301"), dir))
                .hasMessage("SHUTDOWN_GRACE_SECONDS must be between 0 and 300");
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SHUTDOWN_GRACE_SECONDS", "soon"), dir))
                .hasMessage("SHUTDOWN_GRACE_SECONDS must be a whole number");
    }

    @Test
    void soundCloudKeepAliveDefaultsBelowCommonIdleTimeoutsAndIsRefusedByName() {
        assertThat(SettingsLoader.load(Map.of(), dir).soundCloudKeepAlive()).isEqualTo(Duration.ofSeconds(4));
        ServiceSettings fresh = SettingsLoader.load(Map.of("SOUNDCLOUD_KEEP_ALIVE_SECONDS", "0", "CLIENT_ID", "id",
                "CLIENT_SECRET", "secret"), dir);
        assertThat(fresh.soundCloudSettings(URI.create("https://secure.soundcloud.com"),
                URI.create("https://api.soundcloud.com")).keepAlive()).isZero();
        assertThatThrownBy(() -> SettingsLoader.load(Map.of("SOUNDCLOUD_KEEP_ALIVE_SECONDS", "301"), dir))
                .hasMessage("SOUNDCLOUD_KEEP_ALIVE_SECONDS must be between 0 and 300");
    }

    @Test
    void refreshReuseAndTheBreakerHaveDefaultsAndCanBeSet() {
        ServiceSettings defaults = SettingsLoader.load(Map.of(), dir);
        ServiceSettings set = SettingsLoader.load(Map.of("REFRESH_REUSE_SECONDS", "0", "SOUNDCLOUD_BREAKER_FAILURES", "2",
                "SOUNDCLOUD_BREAKER_OPEN_SECONDS", "3", "SOUNDCLOUD_BREAKER_MAX_OPEN_SECONDS", "30"), dir);

        assertThat(defaults.refreshReuse()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.breaker()).isEqualTo(new TokenEndpointBreaker.Settings(5,
                Duration.ofSeconds(10), Duration.ofSeconds(120)));
        assertThat(set.refreshReuse()).isZero();
        assertThat(set.breaker()).isEqualTo(new TokenEndpointBreaker.Settings(2,
                Duration.ofSeconds(3), Duration.ofSeconds(30)));
        assertThat(OperatorListener.summary(set)).anySatisfy(setting -> {
            assertThat(setting.name()).isEqualTo("Refresh reuse window");
            assertThat(setting.value()).isEqualTo("off");
        });
    }

    @Test
    void malformedRefreshAndBreakerSettingsAreRefusedByName() {
        for (Map<String, String> bad : List.of(Map.of("REFRESH_REUSE_SECONDS", "-1"),
                Map.of("REFRESH_REUSE_SECONDS", "3601"), Map.of("REFRESH_REUSE_SECONDS", "a minute"),
                Map.of("SOUNDCLOUD_BREAKER_FAILURES", "0"), Map.of("SOUNDCLOUD_BREAKER_OPEN_SECONDS", "0"),
                Map.of("SOUNDCLOUD_BREAKER_OPEN_SECONDS", "20", "SOUNDCLOUD_BREAKER_MAX_OPEN_SECONDS", "10"))) {
            String variable = bad.keySet().stream().sorted().reduce((a, b) -> b).orElseThrow();
            assertThatThrownBy(() -> SettingsLoader.load(bad, dir)).as("%s", bad)
                    .isInstanceOf(SettingsLoader.InvalidSettingException.class)
                    .hasMessageContaining(bad.size() == 1 ? variable : "SOUNDCLOUD_BREAKER_MAX_OPEN_SECONDS");
        }
    }
}
