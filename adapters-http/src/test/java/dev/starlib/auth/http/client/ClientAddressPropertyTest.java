package dev.starlib.auth.http.client;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who the client is, under any addresses and any forwarding headers: IPv6 counts per /64; a peer that is not a
 * trusted proxy is the client whatever the headers say; behind trusted proxies whatever a client prepends cannot
 * change who it is; nothing a client writes is ever resolved as a host name.
 */
class ClientAddressPropertyTest {

    private static final TrustedProxies PROXIES = new TrustedProxies(
            List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")), TrustedProxies.Header.X_FORWARDED_FOR);

    @Provide
    Arbitrary<InetAddress> addresses() {
        Arbitrary<InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(ClientAddressPropertyTest::address);
        Arbitrary<InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(ClientAddressPropertyTest::address);
        return Arbitraries.oneOf(v4, v6);
    }

    @Provide
    Arbitrary<InetAddress> untrusted() {
        return addresses().filter(address -> !PROXIES.trusts(address));
    }

    @Provide
    Arbitrary<InetAddress> trusted() {
        return Arbitraries.bytes().array(byte[].class).ofSize(3).map(rest -> address(new byte[]{10, rest[0], rest[1], rest[2]}));
    }

    @Provide
    Arbitrary<List<String>> junkHeaders() {
        Arbitrary<String> entry = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                addresses().map(InetAddress::getHostAddress), Arbitraries.of("unknown", "localhost", "example.com",
                        "[::1]:80", "_hidden", "", " , ", "1.2.3.4:5678"));
        return entry.list().ofMaxSize(5);
    }

    @Property(tries = 2000)
    void ipv6AddressesInOneSlash64AreOneClientAndOthersAreNot(@ForAll byte[] host, @ForAll("addresses") InetAddress any) {
        byte[] network = new byte[16];
        network[0] = 0x20;
        network[1] = 0x01;
        byte[] a = network.clone();
        byte[] b = network.clone();
        for (int i = 0; i < 8 && i < host.length; i++) {
            a[8 + i] = host[i];
            b[8 + i] = (byte) ~host[i];
        }
        assertThat(ClientAddress.of(address(a))).isEqualTo(ClientAddress.of(address(b)));
        byte[] otherNetwork = a.clone();
        otherNetwork[7] ^= 1;
        assertThat(ClientAddress.of(address(otherNetwork))).isNotEqualTo(ClientAddress.of(address(a)));
        String masked = ClientAddress.of(any).masked();
        assertThat(masked).endsWith("*").doesNotContain(any.getHostAddress());
    }

    @Property(tries = 2000)
    void aPeerThatIsNoTrustedProxyIsTheClientWhateverTheHeadersSay(@ForAll("untrusted") InetAddress peer,
                                                                    @ForAll("junkHeaders") List<String> headers) {
        assertThat(PROXIES.clientOf(peer, headers)).isEqualTo(ClientAddress.of(peer));
    }

    @Property(tries = 2000)
    void behindTrustedProxiesWhatAClientPrependsChangesNothing(@ForAll("trusted") InetAddress proxy,
                                                              @ForAll("untrusted") InetAddress client,
                                                              @ForAll("trusted") InetAddress innerProxy,
                                                              @ForAll("junkHeaders") List<String> spoofed) {
        List<String> honest = List.of(client.getHostAddress() + ", " + innerProxy.getHostAddress());
        List<String> withSpoof = new ArrayList<>(spoofed);
        withSpoof.add(client.getHostAddress());
        withSpoof.add(innerProxy.getHostAddress());

        assertThat(PROXIES.clientOf(proxy, honest)).isEqualTo(ClientAddress.of(client));
        assertThat(PROXIES.clientOf(proxy, withSpoof)).isEqualTo(ClientAddress.of(client));
    }

    @Property(tries = 3000)
    void onlyIpLiteralsAreEverParsedNeverNames(@ForAll String text) {
        Optional<InetAddress> parsed = ClientAddress.parseLiteral(text);

        parsed.ifPresent(address -> assertThat(text).matches("[0-9A-Fa-f:.]+"));
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
