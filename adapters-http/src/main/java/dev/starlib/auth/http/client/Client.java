package dev.starlib.auth.http.client;

import dev.starlib.auth.domain.ClientKey;

import java.util.Objects;

/** The client of one request: its address as counted (for masked display) and its key (for counting). */
public record Client(ClientAddress address, ClientKey key) {

    public Client {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(key, "key");
    }
}
