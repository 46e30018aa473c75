package dev.starlib.auth.http.client;

import java.net.InetAddress;
import java.util.Objects;

/** An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of one. */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("a prefix length is between 0 and " + bits);
        }
    }

    /** @throws IllegalArgumentException naming what is wrong, without echoing more than the text given */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress network = ClientAddress.parseLiteral(address).orElseThrow(() ->
                new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR block"));
        int bits = network.getAddress().length * 8;
        int length;
        try {
            length = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + trimmed + "' has no valid prefix length");
        }
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("'" + trimmed + "' has a prefix length outside 0.." + bits);
        }
        return new Cidr(network, length);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] block = network.getAddress();
        if (candidate.length != block.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != block[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[full] & mask) == (block[full] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
