package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The control endpoint's JSON:
 * {@code {"deny_consent":false,"token_failure":"none","slow_ms":15000,"refresh_failure":"none","expires_in":null,
 * "app_token_failure":"none"}}.
 * A PUT replaces all switches: a field left out takes its default. Unknown fields are refused, so a typo
 * cannot silently leave a switch off.
 */
final class ControlJson {

    static final Set<String> FIELDS = Set.of("deny_consent", "token_failure", "slow_ms", "refresh_failure", "expires_in",
            "app_token_failure");

    private final ObjectMapper mapper;

    ControlJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    sealed interface Parsed {
        record Valid(SandboxSwitches switches) implements Parsed {
        }

        record Invalid(String description) implements Parsed {
        }
    }

    ObjectNode write(SandboxSwitches switches) {
        ObjectNode json = mapper.createObjectNode();
        json.put("deny_consent", switches.denyConsent());
        json.put("token_failure", switches.tokenFailure().wireName());
        json.put("slow_ms", switches.slow().toMillis());
        json.put("refresh_failure", switches.refreshFailure().wireName());
        switches.expiresIn().ifPresentOrElse(d -> json.put("expires_in", d.toSeconds()), () -> json.putNull("expires_in"));
        json.put("app_token_failure", switches.appTokenFailure().wireName());
        return json;
    }

    Parsed read(byte[] body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return new Parsed.Invalid("The body is not JSON.");
        } catch (IOException e) {
            return new Parsed.Invalid("The body could not be read.");
        }
        if (json == null || !json.isObject()) {
            return new Parsed.Invalid("The body must be a JSON object with some of the fields " + FIELDS + ".");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return new Parsed.Invalid("Unknown field " + name + "; the fields are " + FIELDS + ".");
            }
        }
        SandboxSwitches defaults = SandboxSwitches.DEFAULTS;
        JsonNode denyConsent = json.path("deny_consent");
        if (!denyConsent.isMissingNode() && !denyConsent.isBoolean()) {
            return new Parsed.Invalid("deny_consent must be true or false.");
        }
        Optional<SandboxSwitches.TokenFailure> tokenFailure = enumField(json, "token_failure",
                SandboxSwitches.TokenFailure::fromWireName, defaults.tokenFailure());
        if (tokenFailure.isEmpty()) {
            return new Parsed.Invalid("token_failure must be one of " + wireNames(SandboxSwitches.TokenFailure.values()) + ".");
        }
        Optional<SandboxSwitches.RefreshFailure> refreshFailure = enumField(json, "refresh_failure",
                SandboxSwitches.RefreshFailure::fromWireName, defaults.refreshFailure());
        if (refreshFailure.isEmpty()) {
            return new Parsed.Invalid("refresh_failure must be one of "
                    + wireNames(SandboxSwitches.RefreshFailure.values()) + ".");
        }
        Optional<SandboxSwitches.AppTokenFailure> appTokenFailure = enumField(json, "app_token_failure",
                SandboxSwitches.AppTokenFailure::fromWireName, defaults.appTokenFailure());
        if (appTokenFailure.isEmpty()) {
            return new Parsed.Invalid("app_token_failure must be one of "
                    + wireNames(SandboxSwitches.AppTokenFailure.values()) + ".");
        }
        JsonNode slowMs = json.path("slow_ms");
        if (!slowMs.isMissingNode() && !slowMs.canConvertToExactIntegral()) {
            return new Parsed.Invalid("slow_ms must be a whole number of milliseconds.");
        }
        JsonNode expiresIn = json.path("expires_in");
        if (!expiresIn.isMissingNode() && !expiresIn.isNull() && !expiresIn.canConvertToExactIntegral()) {
            return new Parsed.Invalid("expires_in must be a whole number of seconds, or null for the configured lifetime.");
        }
        try {
            return new Parsed.Valid(new SandboxSwitches(
                    denyConsent.asBoolean(defaults.denyConsent()),
                    tokenFailure.get(),
                    slowMs.isMissingNode() ? defaults.slow() : Duration.ofMillis(slowMs.asLong()),
                    refreshFailure.get(),
                    expiresIn.isMissingNode() || expiresIn.isNull()
                            ? Optional.empty() : Optional.of(Duration.ofSeconds(expiresIn.asLong())),
                    appTokenFailure.get()));
        } catch (IllegalArgumentException e) {
            return new Parsed.Invalid(e.getMessage() + ".");
        }
    }

    private static <E> Optional<E> enumField(JsonNode json, String field, Function<String, Optional<E>> byWireName,
                                             E fallback) {
        JsonNode node = json.path(field);
        if (node.isMissingNode()) {
            return Optional.of(fallback);
        }
        return node.isTextual() ? byWireName.apply(node.textValue()) : Optional.empty();
    }

    private static String wireNames(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
