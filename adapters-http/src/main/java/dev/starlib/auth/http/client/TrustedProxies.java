package dev.starlib.auth.http.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the client is when the service sits behind load balancers ({@code TRUSTED_PROXIES}): the TCP peer, unless the
 * peer is a trusted proxy; then the rightmost address of the forwarding header that is not a trusted proxy. Every
 * address left of that one was written by whoever sent the request, so believing it would let any client choose
 * its own identity. With no trusted proxies (the default) the headers are never read.
 * <p>
 * Only the one header the proxies are configured to write is read ({@code X-Forwarded-For} or RFC 7239
 * {@code Forwarded}): a client can send the other one, and no proxy would correct it. An entry that is not an IP
 * literal (RFC 7239 {@code unknown}, an obfuscated name, garbage) ends the walk at the proxy that wrote it, which
 * then stands for the client: such requests share a budget rather than get one of their own.
 */
public final class TrustedProxies {

    /** The header the trusted proxies append the client's address to. */
    public enum Header {
        X_FORWARDED_FOR("X-Forwarded-For"), FORWARDED("Forwarded");

        private final String name;

        Header(String name) {
            this.name = name;
        }

        public String headerName() {
            return name;
        }

        public static Optional<Header> parse(String text) {
            for (Header header : values()) {
                if (header.name.equalsIgnoreCase(text.strip())) {
                    return Optional.of(header);
                }
            }
            return Optional.empty();
        }
    }

    public static final TrustedProxies NONE = new TrustedProxies(List.of(), Header.X_FORWARDED_FOR);

    private final List<Cidr> blocks;
    private final Header header;

    public TrustedProxies(List<Cidr> blocks, Header header) {
        this.blocks = List.copyOf(blocks);
        this.header = Objects.requireNonNull(header, "header");
    }

    public boolean any() {
        return !blocks.isEmpty();
    }

    public Header header() {
        return header;
    }

    public List<Cidr> blocks() {
        return blocks;
    }

    public boolean trusts(InetAddress address) {
        InetAddress plain = unmapped(address);
        for (Cidr block : blocks) {
            if (block.contains(plain)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param peer         the TCP peer
     * @param headerValues every value of {@link #header()} in the request, in order (several header lines are one
     *                     list, RFC 9110 §5.3)
     */
    public ClientAddress clientOf(InetAddress peer, List<String> headerValues) {
        Objects.requireNonNull(peer, "peer");
        if (!trusts(peer)) {
            return ClientAddress.of(peer);
        }
        List<String> hops = hops(headerValues);
        InetAddress nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = ClientAddress.parseLiteral(hops.get(i));
            if (hop.isEmpty()) {
                break;
            }
            if (!trusts(hop.get())) {
                return ClientAddress.of(hop.get());
            }
            nearest = hop.get();
        }
        return ClientAddress.of(nearest);
    }

    /** The addresses of the chain, leftmost first, as bare literals (brackets, ports and quotes taken off). */
    private List<String> hops(List<String> headerValues) {
        List<String> hops = new ArrayList<>();
        for (String value : headerValues) {
            for (String element : value.split(",", -1)) {
                hops.add(header == Header.FORWARDED ? forwardedFor(element) : bare(element.strip()));
            }
        }
        return hops;
    }

    /** The {@code for} parameter of one RFC 7239 element; "" when it has none (the walk then stops there). */
    private static String forwardedFor(String element) {
        for (String pair : element.split(";", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                String value = pair.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return bare(value);
            }
        }
        return "";
    }

    /** {@code [2001:db8::1]:4711} to {@code 2001:db8::1}; {@code 192.0.2.1:80} to {@code 192.0.2.1}. */
    private static String bare(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close < 0 ? "" : hop.substring(1, close);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    private static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return ClientAddress.parseLiteral((bytes[12] & 255) + "." + (bytes[13] & 255) + "." + (bytes[14] & 255)
                        + "." + (bytes[15] & 255)).orElse(address);
            }
        }
        return address;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "none (the TCP peer is the client)" : blocks + " via " + header.headerName();
    }
}
