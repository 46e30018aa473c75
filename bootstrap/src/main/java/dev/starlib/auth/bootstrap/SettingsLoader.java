package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.domain.Origin;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.http.InternalApiKey;
import dev.starlib.auth.domain.TokenBucket;
import dev.starlib.auth.http.client.Cidr;
import dev.starlib.auth.http.client.TrustedProxies;
import dev.starlib.auth.soundcloud.ClientSecret;
import dev.starlib.auth.soundcloud.SoundCloudSettings;
import dev.starlib.auth.store.StoreKey;
import dev.starlib.auth.store.redis.RedisLocation;
import dev.starlib.auth.store.redis.RedisSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link ServiceSettings} from, in falling priority: environment variables, a {@code .env} file in the
 * working directory, and the {@code application.yaml} defaults. Every refusal of a setting happens here, before
 * anything is opened: a malformed value stops the start with a message naming the variable (never its value,
 * which may be a secret; public values such as origins or a host may be quoted).
 */
final class SettingsLoader {

    static final String SANDBOX_CLIENT_ID = "starlib-sandbox";
    /** 32 characters of base64 are 192 bits: beyond guessing, even at the admin port's full speed. */
    static final int MIN_INTERNAL_KEY_LENGTH = 32;

    private SettingsLoader() {
    }

    /** Thrown when a setting is present but unusable; the message names the variable and what it expects. */
    static final class InvalidSettingException extends RuntimeException {
        InvalidSettingException(String message) {
            super(message);
        }
    }

    static ServiceSettings load(Map<String, String> environment, Path workingDirectory) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .disableValueResolving()
                .disableKeyResolving()
                .sources(ConfigSources.create(environment).name("environment variables"),
                        ConfigSources.create(DotEnv.read(workingDirectory.resolve(".env"))).name(".env"),
                        ConfigSources.classpath("application.yaml"))
                .build();
        return from(config, workingDirectory);
    }

    /** @param workingDirectory what relative paths among the settings are relative to */
    static ServiceSettings from(Config config, Path workingDirectory) {
        Reader r = new Reader(config);
        String host = host(r);
        int port = r.integer("BACKEND_PORT", 0, 65535);
        SoundCloudMode soundCloud = soundCloud(r, host);
        boolean sandbox = soundCloud instanceof SoundCloudMode.Sandbox;
        // The sandbox registers whatever client it is given; unset credentials get sandbox ones, so it needs no .env.
        Optional<String> clientId = r.optional("CLIENT_ID").or(() -> sandbox ? Optional.of(SANDBOX_CLIENT_ID) : Optional.empty());
        Optional<ClientSecret> clientSecret = r.optional("CLIENT_SECRET").or(() -> sandbox ? Optional.of(randomSecret())
                : Optional.empty()).map(ClientSecret::new);
        List<String> returnOrigins = r.list("ALLOWED_RETURN_ORIGINS");
        ReturnToPolicy returnToPolicy = returnToPolicy(returnOrigins);
        List<String> cors = r.optional("CORS_ALLOWED_ORIGINS").map(SettingsLoader::splitList).orElseGet(() -> {
            List<String> defaults = new ArrayList<>(returnOrigins);
            defaults.add(CorsOrigins.ANY_LOCALHOST_PORT);
            return defaults;
        });
        return checked(new ServiceSettings(
                clientId,
                clientSecret,
                r.absoluteUri("SOUNDCLOUD_REDIRECT_URI"),
                host,
                port,
                soundCloud,
                Duration.ofMillis(r.integer("SOUNDCLOUD_TIMEOUT_MS", 1, 600_000)),
                returnToPolicy,
                defaultReturnTo(r, returnToPolicy),
                CorsOrigins.policy(cors),
                Duration.ofSeconds(r.integer("PENDING_TTL_SECONDS", 1, 86_400)),
                Duration.ofSeconds(r.integer("RESULT_TTL_SECONDS", 1, 86_400)),
                store(r),
                adminPort(r, port),
                adminUser(r),
                r.optional("ADMIN_PASSWORD"),
                Duration.ofSeconds(r.integer("REFRESH_REUSE_SECONDS", 0, 3_600)),
                breaker(r),
                internalApiKey(r),
                Duration.ofSeconds(r.integer("APP_TOKEN_RENEW_BEFORE_SECONDS", 1, 86_400)),
                workingDirectory.resolve(r.required("ADMIN_PASSWORD_FILE")).toAbsolutePath().normalize(),
                Duration.ofSeconds(r.integer("SHUTDOWN_GRACE_SECONDS", 0, 300)),
                fairUse(r),
                Duration.ofSeconds(r.integer("SOUNDCLOUD_KEEP_ALIVE_SECONDS", 0,
                        (int) SoundCloudSettings.MAX_KEEP_ALIVE.toSeconds()))));
    }

    private static TokenEndpointBreaker.Settings breaker(Reader r) {
        int failures = r.integer("SOUNDCLOUD_BREAKER_FAILURES", 1, 1_000);
        int openFor = r.integer("SOUNDCLOUD_BREAKER_OPEN_SECONDS", 1, 3_600);
        int maxOpenFor = r.integer("SOUNDCLOUD_BREAKER_MAX_OPEN_SECONDS", 1, 86_400);
        if (maxOpenFor < openFor) {
            throw new InvalidSettingException("SOUNDCLOUD_BREAKER_MAX_OPEN_SECONDS must be at least "
                    + "SOUNDCLOUD_BREAKER_OPEN_SECONDS");
        }
        return new TokenEndpointBreaker.Settings(failures, Duration.ofSeconds(openFor), Duration.ofSeconds(maxOpenFor));
    }

    /** What only the settings together can say: SoundCloud's URLs as the adapter will use them. */
    private static ServiceSettings checked(ServiceSettings settings) {
        if (settings.credentialsConfigured() && settings.soundCloud() instanceof SoundCloudMode.Live live) {
            try {
                settings.soundCloudSettings(live.authBaseUrl(), live.apiBaseUrl());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(String.valueOf(e.getMessage())
                        .replace("authBaseUrl", "SOUNDCLOUD_AUTH_BASE_URL")
                        .replace("apiBaseUrl", "SOUNDCLOUD_API_BASE_URL")
                        .replace("redirectUri", "SOUNDCLOUD_REDIRECT_URI"));
            }
        }
        return settings;
    }

    /** Resolved now, so that a typo is refused by name instead of failing inside the server's start. */
    private static String host(Reader r) {
        String host = r.required("BACKEND_HOST");
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException | RuntimeException e) {
            // A host name is no secret: naming it is the quickest way for an operator to see the typo.
            throw new InvalidSettingException("BACKEND_HOST=" + host + " is not an address of this machine or a name "
                    + "that resolves (use an IP address such as 127.0.0.1 or 0.0.0.0, or a resolvable host name)");
        }
        if (!isOnThisMachine(address)) {
            throw new InvalidSettingException("BACKEND_HOST=" + host + " is not an address of this machine, so "
                    + "nothing can listen on it (use 127.0.0.1, 0.0.0.0 for every interface, or one of this machine's "
                    + "own addresses)");
        }
        return host;
    }

    /** The server binds to the first address the host resolves to: a wildcard, loopback, or an interface's own. */
    private static boolean isOnThisMachine(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: let the bind decide, which names the port if it fails
        }
    }

    private static SoundCloudMode soundCloud(Reader r, String host) {
        return switch (r.required("SOUNDCLOUD_MODE").toLowerCase(Locale.ROOT)) {
            case "live" -> new SoundCloudMode.Live(r.absoluteUri("SOUNDCLOUD_AUTH_BASE_URL"),
                    r.absoluteUri("SOUNDCLOUD_API_BASE_URL"));
            case "sandbox" -> {
                boolean allowRemote = r.bool("SANDBOX_ALLOW_REMOTE");
                yield new SoundCloudMode.Sandbox(new SandboxOptions(
                        Duration.ofSeconds(r.integer("SANDBOX_TOKEN_LIFETIME_SECONDS", 1, 31_622_400)),
                        r.bool("SANDBOX_AUTO_APPROVE"),
                        allowRemote,
                        sandboxLoopbackHost(host, allowRemote)));
            }
            default -> throw new InvalidSettingException("SOUNDCLOUD_MODE must be live or sandbox");
        };
    }

    /**
     * The sandbox hands out sign-ins to anyone who asks, so by default it only listens where no other machine can
     * reach it. The service reaches it over loopback: a wildcard BACKEND_HOST (allowed with SANDBOX_ALLOW_REMOTE) on
     * 127.0.0.1; a specific remote address cannot be, and is refused.
     */
    private static String sandboxLoopbackHost(String host, boolean allowRemote) {
        if (isLoopback(host)) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }
        if (!allowRemote) {
            throw new InvalidSettingException("SOUNDCLOUD_MODE=sandbox listens on loopback addresses only, and "
                    + "BACKEND_HOST=" + host + " is not one. The sandbox signs anyone in without a password: use "
                    + "BACKEND_HOST=127.0.0.1, or set SANDBOX_ALLOW_REMOTE=true if other machines must reach it "
                    + "(e.g. a CI container).");
        }
        if (!isWildcard(host)) {
            throw new InvalidSettingException("SOUNDCLOUD_MODE=sandbox with a non-loopback BACKEND_HOST needs a "
                    + "wildcard address (0.0.0.0 or ::): the service reaches its sandbox over 127.0.0.1");
        }
        return "127.0.0.1";
    }

    private static ReturnToPolicy returnToPolicy(List<String> origins) {
        try {
            return ReturnToPolicy.ofOrigins(origins);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("ALLOWED_RETURN_ORIGINS: " + e.getMessage());
        }
    }

    private static ReturnTo defaultReturnTo(Reader r, ReturnToPolicy policy) {
        return switch (policy.check(r.required("DEFAULT_RETURN_TO"))) {
            case ReturnToPolicy.Verdict.Accepted accepted -> accepted.returnTo();
            case ReturnToPolicy.Verdict.Rejected rejected -> throw new InvalidSettingException(
                    "DEFAULT_RETURN_TO is not acceptable: " + rejected.reason());
        };
    }

    private static StoreSettings store(Reader r) {
        String name = r.required("SESSION_STORE");
        StoreSettings.Kind kind = StoreSettings.Kind.parse(name).orElseThrow(() -> new InvalidSettingException(
                "SESSION_STORE must be 'memory', 'file' or 'redis' (got an unknown store name)"));
        int capacity = r.integer("SESSION_STORE_CAPACITY", 1, 10_000_000);
        return switch (kind) {
            case MEMORY -> new StoreSettings.Memory(capacity);
            case FILE -> new StoreSettings.File(Path.of(r.required("SESSION_STORE_PATH")),
                    r.optional("SESSION_STORE_KEY").map(SettingsLoader::storeKey), capacity);
            case REDIS -> new StoreSettings.Redis(redis(r), storeKey(r.optional("SESSION_STORE_KEY").orElseThrow(() ->
                    new InvalidSettingException("SESSION_STORE_KEY must be set for SESSION_STORE=redis: every instance "
                            + "must seal sessions under the same key (openssl rand -base64 32), and a key file in one "
                            + "instance's directory would not be shared"))), capacity);
        };
    }

    private static RedisSettings redis(Reader r) {
        RedisLocation location;
        try {
            location = RedisLocation.parse(r.required("REDIS_URL"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("REDIS_URL " + e.getMessage());
        }
        String prefix = r.config().get("REDIS_KEY_PREFIX").asString().orElse("").strip();
        Duration timeout = Duration.ofMillis(r.integer("REDIS_TIMEOUT_MS", 50, 60_000));
        int waitReplicas = r.integer("REDIS_WAIT_REPLICAS", 0, 16);
        try {
            return new RedisSettings(location, prefix, timeout, waitReplicas);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("REDIS_KEY_PREFIX must be at most 64 printable ASCII characters, "
                    + "without spaces or braces (braces would move the {auth} hash tag)");
        }
    }

    private static StoreKey storeKey(String base64) {
        try {
            return StoreKey.fromBase64(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("SESSION_STORE_KEY " + e.getMessage());
        }
    }

    private static int adminPort(Reader r, int backendPort) {
        int admin = r.integer("ADMIN_PORT", 0, 65535);
        if (admin != 0 && admin == backendPort) {
            throw new InvalidSettingException("ADMIN_PORT must differ from BACKEND_PORT: the admin pages have a port of their own");
        }
        return admin;
    }

    private static String adminUser(Reader r) {
        String user = r.required("ADMIN_USER");
        if (user.indexOf(':') >= 0) {
            throw new InvalidSettingException("ADMIN_USER must not contain ':' (HTTP Basic could not carry it)");
        }
        return user;
    }

    /** The endpoints limited by name, and the variable that sets each one's budget. */
    static final Map<String, String> RATE_LIMITED_ENDPOINTS = Map.of(
            "authorize", "RATE_LIMIT_AUTHORIZE",
            "redirect", "RATE_LIMIT_REDIRECT",
            "callback", "RATE_LIMIT_CALLBACK",
            "result", "RATE_LIMIT_RESULT",
            "refresh", "RATE_LIMIT_REFRESH",
            "sign-out", "RATE_LIMIT_SIGN_OUT");

    private static FairUseSettings fairUse(Reader r) {
        Map<String, TokenBucket.Budget> budgets = new java.util.HashMap<>();
        RATE_LIMITED_ENDPOINTS.forEach((endpoint, key) -> budgets.put(endpoint, budget(r, key)));
        return new FairUseSettings(
                trustedProxies(r),
                r.integer("PENDING_PER_CLIENT", 1, 10_000_000),
                budgets,
                r.integer("RATE_LIMIT_CLIENTS", 100, 10_000_000),
                pickupBinding(r),
                Duration.ofSeconds(r.integer("REQUEST_HEAD_TIMEOUT_SECONDS", 1, 3_600)),
                Duration.ofSeconds(r.integer("KEEP_ALIVE_TIMEOUT_SECONDS", 1, 86_400)),
                r.integer("CONNECTIONS_PER_CLIENT", 1, 1_000_000),
                r.optional("CLIENT_HASH_KEY").map(SettingsLoader::clientHashKey));
    }

    /** {@code 60/min}: that many requests at once, refilled evenly over the period ({@code s}, {@code min}, {@code h}). */
    private static TokenBucket.Budget budget(Reader r, String key) {
        String value = r.required(key);
        String[] parts = value.split("/", -1);
        Duration per = parts.length != 2 ? null : switch (parts[1].strip().toLowerCase(Locale.ROOT)) {
            case "s" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> null;
        };
        try {
            int requests = per == null ? -1 : Integer.parseInt(parts[0].strip());
            if (per == null || requests < 1 || requests > 1_000_000) {
                throw new NumberFormatException();
            }
            return new TokenBucket.Budget(requests, per);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key + " must be a number of requests per s, min or h, e.g. 60/min");
        }
    }

    private static TrustedProxies trustedProxies(Reader r) {
        List<String> blocks = r.optional("TRUSTED_PROXIES").map(SettingsLoader::splitList).orElse(List.of());
        List<Cidr> cidrs = new ArrayList<>();
        for (String block : blocks) {
            try {
                cidrs.add(Cidr.parse(block));
            } catch (IllegalArgumentException e) {
                // A proxy's address is no secret: naming the bad entry is the quickest fix.
                throw new InvalidSettingException("TRUSTED_PROXIES: " + e.getMessage());
            }
        }
        TrustedProxies.Header header = TrustedProxies.Header.parse(r.required("TRUSTED_PROXY_HEADER"))
                .orElseThrow(() -> new InvalidSettingException(
                        "TRUSTED_PROXY_HEADER must be X-Forwarded-For or Forwarded"));
        return new TrustedProxies(cidrs, header);
    }

    private static boolean pickupBinding(Reader r) {
        return switch (r.required("PICKUP_BINDING").toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "client" -> true;
            default -> throw new InvalidSettingException("PICKUP_BINDING must be none or client");
        };
    }

    private static byte[] clientHashKey(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            if (key.length < 32) {
                throw new InvalidSettingException("CLIENT_HASH_KEY must be base64 of at least 32 random bytes "
                        + "(openssl rand -base64 32); it decodes to " + key.length);
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("CLIENT_HASH_KEY is not base64 (openssl rand -base64 32)");
        }
    }

    /** Absent: the internal API is off. Present: a real secret, never echoed; anyone who has it gets the app token. */
    private static Optional<InternalApiKey> internalApiKey(Reader r) {
        return r.optional("INTERNAL_API_TOKEN").map(key -> {
            boolean visibleAscii = key.chars().allMatch(c -> c > 0x20 && c < 0x7F);
            if (key.length() < MIN_INTERNAL_KEY_LENGTH || key.length() > 512 || !visibleAscii) {
                throw new InvalidSettingException("INTERNAL_API_TOKEN must be " + MIN_INTERNAL_KEY_LENGTH
                        + " to 512 visible ASCII characters without spaces (e.g. openssl rand -base64 32)");
            }
            return InternalApiKey.of(key);
        });
    }

    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static List<String> splitList(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Origins in a stable order, for the log and the dashboard. */
    static List<String> sorted(Collection<Origin> origins) {
        return origins.stream().map(Origin::toString).sorted().toList();
    }

    private record Reader(Config config) {

        Optional<String> optional(String key) {
            return config.get(key).asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
        }

        String required(String key) {
            return optional(key).orElseThrow(() -> new InvalidSettingException(key + " must be set"));
        }

        List<String> list(String key) {
            List<String> values = splitList(required(key));
            if (values.isEmpty()) {
                throw new InvalidSettingException(key + " must list at least one value");
            }
            return values;
        }

        boolean bool(String key) {
            return switch (required(key).toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new InvalidSettingException(key + " must be true or false");
            };
        }

        int integer(String key, int min, int max) {
            String value = required(key);
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new InvalidSettingException(key + " must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key + " must be a whole number");
            }
        }

        URI absoluteUri(String key) {
            String value = required(key);
            try {
                URI uri = new URI(value);
                if (!uri.isAbsolute() || uri.getHost() == null) {
                    throw new InvalidSettingException(key + " must be an absolute URL with a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new InvalidSettingException(key + " is not a valid URL");
            }
        }
    }
}
