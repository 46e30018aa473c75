package dev.starlib.auth.http.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The settings an operator may see, already made safe by whoever builds it (bootstrap): secrets masked,
 * never passed in. The dashboard shows them in this order, read each time it renders, so that a value known only
 * once the service runs (the ports it bound) shows as it is. A warning (sandbox mode, say) heads the page.
 */
public final class ConfigurationSummary {

    private final Supplier<List<Setting>> settings;
    private final Optional<String> warning;

    public ConfigurationSummary(List<Setting> settings) {
        this(settings, Optional.empty());
    }

    public ConfigurationSummary(List<Setting> settings, Optional<String> warning) {
        List<Setting> fixed = List.copyOf(settings);
        this.settings = () -> fixed;
        this.warning = Objects.requireNonNull(warning, "warning");
    }

    /** @param settings read at every render; must be cheap and never throw */
    public ConfigurationSummary(Supplier<List<Setting>> settings, Optional<String> warning) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.warning = Objects.requireNonNull(warning, "warning");
    }

    public List<Setting> settings() {
        return List.copyOf(settings.get());
    }

    /** What the operator must not miss about this configuration, shown as a banner above everything else. */
    public Optional<String> warning() {
        return warning;
    }

    public record Setting(String name, String value) {
        public Setting {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
