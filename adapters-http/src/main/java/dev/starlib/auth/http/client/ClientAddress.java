package dev.starlib.auth.http.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a request comes from, as this service counts clients: an IPv4 address, or an IPv6 /64 (one household or
 * one host is usually given a whole /64, so counting single IPv6 addresses would hand each client 2^64 budgets).
 * An IPv4-mapped IPv6 address is its IPv4 address. {@link #masked()} is all that logs and pages ever show.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final byte[] prefix;
    private final String identity;

    private ClientAddress(byte[] prefix, String identity) {
        this.prefix = prefix;
        this.identity = identity;
    }

    public static ClientAddress of(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        if (bytes.length == 4) {
            return new ClientAddress(bytes, (bytes[0] & 255) + "." + (bytes[1] & 255) + "." + (bytes[2] & 255) + "."
                    + (bytes[3] & 255));
        }
        byte[] slash64 = Arrays.copyOf(bytes, 8);
        StringBuilder text = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            text.append(Integer.toHexString((slash64[2 * group] & 255) << 8 | slash64[2 * group + 1] & 255)).append(':');
        }
        return new ClientAddress(slash64, text.append(":/64").toString());
    }

    /**
     * An IP literal as proxies write it (no host names: resolving them would let a client make us query DNS),
     * or empty. IPv4 in dotted-quad form only; IPv6 without brackets, port or zone.
     */
    public static Optional<InetAddress> parseLiteral(String text) {
        if (text == null) {
            return Optional.empty();
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches())) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal: no lookup happens
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What is hashed into a {@link dev.starlib.auth.domain.ClientKey}: {@code 203.0.113.7}, {@code 2001:db8:0:1::/64}. */
    public String identity() {
        return identity;
    }

    /** For logs and the dashboard: the network, not the host ({@code 203.0.113.*}, {@code 2001:db8:0:*}). */
    public String masked() {
        if (prefix.length == 4) {
            return (prefix[0] & 255) + "." + (prefix[1] & 255) + "." + (prefix[2] & 255) + ".*";
        }
        return Integer.toHexString((prefix[0] & 255) << 8 | prefix[1] & 255) + ":"
                + Integer.toHexString((prefix[2] & 255) << 8 | prefix[3] & 255) + ":"
                + Integer.toHexString((prefix[4] & 255) << 8 | prefix[5] & 255) + ":*";
    }

    boolean isIpv4() {
        return prefix.length == 4;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientAddress that && identity.equals(that.identity);
    }

    @Override
    public int hashCode() {
        return identity.hashCode();
    }

    /** Masked: an address in a log line by accident is still no full address. */
    @Override
    public String toString() {
        return "ClientAddress[" + masked() + "]";
    }
}
