package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClientKeyHasherTest {

    /** RFC 4231 test case 6: a 131-byte key; the key is the first 16 bytes of the HMAC-SHA-256. */
    @Test
    void isTheTruncatedHmacSha256OfTheClient() {
        byte[] secret = new byte[131];
        Arrays.fill(secret, (byte) 0xaa);
        ClientKey.Hasher hasher = new ClientKey.Hasher(secret);

        ClientKey key = hasher.keyOf("Test Using Larger Than Block-Size Key - Hash Key First");

        assertThat(key.hex()).isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f");
    }

    /** One hasher answers many calls, from many threads at once, each as if it were the first. */
    @Test
    void answersTheSameKeyOnEveryCallAndThread() throws Exception {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        ClientKey.Hasher hasher = new ClientKey.Hasher(secret);
        String expectedA = hasher.keyOf("203.0.113.7").hex();
        String expectedB = hasher.keyOf("2001:db8:1:2::/64").hex();
        assertThat(expectedA).isNotEqualTo(expectedB);

        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> results = IntStream.range(0, 64).mapToObj(i -> pool.submit(() -> {
                for (int n = 0; n < 200; n++) {
                    String client = (n + i) % 2 == 0 ? "203.0.113.7" : "2001:db8:1:2::/64";
                    String expected = (n + i) % 2 == 0 ? expectedA : expectedB;
                    if (!hasher.keyOf(client).hex().equals(expected)) {
                        return false;
                    }
                }
                return true;
            })).toList();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
        assertThat(new ClientKey.Hasher(new byte[32]).keyOf("203.0.113.7").hex()).isNotEqualTo(expectedA);
    }
}
