package dev.starlib.auth.http.admin;

import java.util.List;
import java.util.Objects;

/**
 * The settings an operator may see, already made safe by whoever builds it (bootstrap): secrets masked,
 * never passed in. The dashboard shows them in this order.
 */
public record ConfigurationSummary(List<Setting> settings) {

    public ConfigurationSummary {
        settings = List.copyOf(settings);
    }

    public record Setting(String name, String value) {
        public Setting {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
