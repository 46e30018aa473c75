package dev.starlib.auth.bootstrap;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link ServiceSettings} from, in falling priority: environment variables, a {@code .env} file in the
 * working directory, and the {@code application.yaml} defaults. A malformed value stops the start with a
 * message naming the variable (never its value, which may be a secret).
 */
final class SettingsLoader {

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
        return from(config);
    }

    static final String SANDBOX_CLIENT_ID = "starlib-sandbox";

    static ServiceSettings from(Config config) {
        Reader r = new Reader(config);
        Optional<SandboxOptions> sandbox = sandbox(r);
        String host = r.required("BACKEND_HOST");
        sandbox.ifPresent(options -> refuseRemoteSandbox(host, options));
        // The sandbox registers whatever client it is given; unset credentials get sandbox ones, so it needs no .env.
        Optional<String> clientId = r.optional("CLIENT_ID").or(() -> sandbox.map(s -> SANDBOX_CLIENT_ID));
        Optional<String> clientSecret = r.optional("CLIENT_SECRET").or(() -> sandbox.map(s -> randomSecret()));
        List<String> returnOrigins = r.list("ALLOWED_RETURN_ORIGINS");
        List<String> cors = r.optional("CORS_ALLOWED_ORIGINS").map(SettingsLoader::splitList).orElseGet(() -> {
            List<String> defaults = new ArrayList<>(returnOrigins);
            defaults.add(CorsOrigins.ANY_LOCALHOST_PORT);
            return defaults;
        });
        return new ServiceSettings(
                clientId,
                clientSecret,
                r.absoluteUri("SOUNDCLOUD_REDIRECT_URI"),
                host,
                r.integer("BACKEND_PORT", 0, 65535),
                r.absoluteUri("SOUNDCLOUD_AUTH_BASE_URL"),
                r.absoluteUri("SOUNDCLOUD_API_BASE_URL"),
                Duration.ofMillis(r.integer("SOUNDCLOUD_TIMEOUT_MS", 1, 600_000)),
                returnOrigins,
                r.required("DEFAULT_RETURN_TO"),
                cors,
                Duration.ofSeconds(r.integer("PENDING_TTL_SECONDS", 1, 86_400)),
                Duration.ofSeconds(r.integer("RESULT_TTL_SECONDS", 1, 86_400)),
                r.required("SESSION_STORE"),
                Path.of(r.required("SESSION_STORE_PATH")),
                r.integer("SESSION_STORE_CAPACITY", 1, 10_000_000),
                r.optional("SESSION_STORE_KEY"),
                sandbox,
                adminPort(r),
                adminUser(r),
                r.optional("ADMIN_PASSWORD"));
    }

    private static int adminPort(Reader r) {
        int admin = r.integer("ADMIN_PORT", 0, 65535);
        if (admin != 0 && admin == r.integer("BACKEND_PORT", 0, 65535)) {
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

    private static Optional<SandboxOptions> sandbox(Reader r) {
        String mode = r.required("SOUNDCLOUD_MODE").toLowerCase(java.util.Locale.ROOT);
        return switch (mode) {
            case "live" -> Optional.empty();
            case "sandbox" -> Optional.of(new SandboxOptions(
                    Duration.ofSeconds(r.integer("SANDBOX_TOKEN_LIFETIME_SECONDS", 1, 31_622_400)),
                    r.bool("SANDBOX_AUTO_APPROVE"),
                    r.bool("SANDBOX_ALLOW_REMOTE")));
            default -> throw new InvalidSettingException("SOUNDCLOUD_MODE must be live or sandbox");
        };
    }

    /**
     * The sandbox hands out sign-ins to anyone who asks, so by default it only listens where no other machine can
     * reach it. A host name is resolved to decide; BACKEND_HOST is not a secret, so the message may name it.
     */
    private static void refuseRemoteSandbox(String host, SandboxOptions options) {
        if (options.allowRemote() || isLoopback(host)) {
            return;
        }
        throw new InvalidSettingException("SOUNDCLOUD_MODE=sandbox listens on loopback addresses only, and BACKEND_HOST="
                + host + " is not one. The sandbox signs anyone in without a password: use BACKEND_HOST=127.0.0.1, or "
                + "set SANDBOX_ALLOW_REMOTE=true if other machines must reach it (e.g. a CI container).");
    }

    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return addresses.length > 0 && java.util.Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
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
            return switch (required(key).toLowerCase(java.util.Locale.ROOT)) {
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
