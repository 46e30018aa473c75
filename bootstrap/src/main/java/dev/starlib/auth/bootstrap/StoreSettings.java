package dev.starlib.auth.bootstrap;

import dev.starlib.auth.store.StoreKey;
import dev.starlib.auth.store.redis.RedisSettings;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** {@code SESSION_STORE} and the settings of the store it names, checked. */
sealed interface StoreSettings {

    /** The names {@code SESSION_STORE} takes. */
    enum Kind {
        MEMORY, FILE, REDIS;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Kind> parse(String name) {
            for (Kind kind : values()) {
                if (kind.label().equals(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    Kind kind();

    /** {@code SESSION_STORE_CAPACITY}: most sessions held at once. */
    int capacity();

    /** What operators may read of it: never the key. */
    String describe();

    record Memory(int capacity) implements StoreSettings {

        @Override
        public Kind kind() {
            return Kind.MEMORY;
        }

        @Override
        public String describe() {
            return "memory, capacity " + capacity;
        }
    }

    /**
     * @param key {@code SESSION_STORE_KEY}; empty: the store's own {@code store.key} file in {@code path}
     */
    record File(Path path, Optional<StoreKey> key, int capacity) implements StoreSettings {

        public File {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Kind kind() {
            return Kind.FILE;
        }

        @Override
        public String describe() {
            return "file in " + path + " (key " + (key.isPresent() ? "from SESSION_STORE_KEY" : "in store.key")
                    + "), capacity " + capacity;
        }

        @Override
        public String toString() {
            return "File[path=" + path + ", key=" + (key.isPresent() ? "<set>" : "<store.key>") + ", capacity="
                    + capacity + "]";
        }
    }

    /**
     * Sessions in Redis, shared by every instance. The key is required: a key file next to the data, as the file
     * store makes, would be a different key on each instance.
     */
    record Redis(RedisSettings redis, StoreKey key, int capacity) implements StoreSettings {

        public Redis {
            Objects.requireNonNull(redis, "redis");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Kind kind() {
            return Kind.REDIS;
        }

        @Override
        public String describe() {
            return "redis at " + redis.describe() + " (key from SESSION_STORE_KEY), capacity " + capacity;
        }

        @Override
        public String toString() {
            return "Redis[" + redis.describe() + ", key=<set>, capacity=" + capacity + "]";
        }
    }
}
