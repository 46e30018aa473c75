package dev.starlib.auth.http.client;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {

    private static final TrustedProxies FORWARDED = new TrustedProxies(
            List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48")), TrustedProxies.Header.FORWARDED);

    @Test
    void forwardedElementsAreReadRightToLeftWithQuotesBracketsAndPortsTakenOff() throws Exception {
        InetAddress proxy = InetAddress.getByName("10.1.2.3");

        assertThat(FORWARDED.clientOf(proxy, List.of("for=192.0.2.60;proto=http;by=203.0.113.43",
                "for=\"[2001:db8:cafe::17]:4711\"")).identity()).isEqualTo("2001:db8:cafe:0::/64");
        assertThat(FORWARDED.clientOf(proxy, List.of("for=192.0.2.60, for=10.9.9.9")).identity()).isEqualTo("192.0.2.60");
        assertThat(FORWARDED.clientOf(proxy, List.of("For=\"192.0.2.61:8080\"")).identity()).isEqualTo("192.0.2.61");
    }

    @Test
    void anEntryThatIsNoAddressLeavesTheNearestProxyStandingForTheClient() throws Exception {
        InetAddress proxy = InetAddress.getByName("10.1.2.3");

        assertThat(FORWARDED.clientOf(proxy, List.of("for=192.0.2.60, for=unknown")).identity()).isEqualTo("10.1.2.3");
        assertThat(FORWARDED.clientOf(proxy, List.of("for=_hidden, for=10.4.4.4")).identity()).isEqualTo("10.4.4.4");
        assertThat(FORWARDED.clientOf(proxy, List.of()).identity()).isEqualTo("10.1.2.3");
    }

    @Test
    void xForwardedForIsIgnoredWhenTheProxiesWriteForwarded() throws Exception {
        // The proxies write Forwarded; a client's own X-Forwarded-For is never consulted (it is not passed in).
        assertThat(FORWARDED.clientOf(InetAddress.getByName("10.1.2.3"), List.of("198.51.100.9")).identity())
                .isEqualTo("10.1.2.3");
    }

    @Test
    void ipv4MappedPeersAreTheirIpv4AddressForTrustAndCounting() throws Exception {
        InetAddress mapped = InetAddress.getByAddress(new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
                10, 0, 0, 1});

        assertThat(FORWARDED.trusts(mapped)).isTrue();
        assertThat(ClientAddress.of(mapped).identity()).isEqualTo("10.0.0.1");
        assertThat(ClientAddress.of(mapped).masked()).isEqualTo("10.0.0.*");
    }

    @Test
    void blocksAreParsedStrictly() {
        assertThat(Cidr.parse("192.168.0.0/16").contains(ClientAddress.parseLiteral("192.168.200.1").orElseThrow())).isTrue();
        assertThat(Cidr.parse("192.168.0.0/17").contains(ClientAddress.parseLiteral("192.168.200.1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains(ClientAddress.parseLiteral("2001:db8:1::1").orElseThrow())).isTrue();
        for (String bad : new String[]{"10.0.0.0/33", "lb.internal", "10.0.0/8", "10.0.0.0/x", "::1/129", ""}) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
