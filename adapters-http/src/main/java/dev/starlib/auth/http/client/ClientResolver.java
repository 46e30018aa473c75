package dev.starlib.auth.http.client;

import dev.starlib.auth.domain.ClientKey;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;

/** Turns a request into its {@link Client}: the trusted-proxy rule, then the keyed hash. */
public final class ClientResolver {

    private final TrustedProxies proxies;
    private final ClientKey.Hasher hasher;

    public ClientResolver(TrustedProxies proxies, ClientKey.Hasher hasher) {
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    public Client of(ServerRequest request) {
        InetAddress peer = peer(request.remotePeer().address());
        List<String> forwarded = proxies.any() && proxies.trusts(peer)
                ? request.headers().values(HeaderNames.create(proxies.header().headerName()))
                : List.of();
        return of(peer, forwarded);
    }

    public Client of(InetAddress peer, List<String> forwardingHeaderValues) {
        ClientAddress address = proxies.clientOf(peer, forwardingHeaderValues);
        return new Client(address, hasher.keyOf(address.identity()));
    }

    public TrustedProxies proxies() {
        return proxies;
    }

    /** A peer that is not an IP socket (in-memory tests) counts as the loopback address. */
    static InetAddress peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }
}
