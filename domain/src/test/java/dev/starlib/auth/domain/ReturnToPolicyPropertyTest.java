package dev.starlib.auth.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a client sends as return_to: the policy never throws, and what it accepts is safe to redirect to. */
class ReturnToPolicyPropertyTest {

    private static final ReturnToPolicy POLICY = ReturnToPolicy.ofOrigins(
            List.of("http://localhost:3000", "tauri://localhost", "https://app.example"));

    @Provide
    Arbitrary<String> hostileUrls() {
        Arbitrary<String> prefixes = Arbitraries.of("http://localhost:3000", "tauri://localhost", "https://app.example",
                "http://localhost:3000@evil.example", "http://evil.example#@localhost:3000", "//localhost:3000",
                "http://localhost:3000.evil.example", "HTTP://LOCALHOST:3000", "javascript:", "http:\\\\localhost:3000",
                "https://app.example:443", "http://[::1]:3000", "");
        Arbitrary<String> tails = Arbitraries.strings().withChars("/?#&=%@:\\.;,+ abcABC019\t\n\u00e9\u202e")
                .ofMaxLength(40);
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(100),
                net.jqwik.api.Combinators.combine(prefixes, tails).as(String::concat));
    }

    @Property(tries = 3000)
    void acceptedReturnToIsOnAnAllowedOriginWithNothingPlanted(@ForAll("hostileUrls") String candidate) {
        switch (POLICY.check(candidate)) {
            case ReturnToPolicy.Verdict.Accepted accepted -> {
                URI uri = accepted.returnTo().uri();
                assertThat(POLICY.allowedOrigins()).contains(Origin.of(uri));
                assertThat(uri.getRawUserInfo()).isNull();
                assertThat(uri.getRawFragment()).isNull();
                assertThat(candidate).doesNotContain("\\").matches("[\\x21-\\x7e]+");
                if (uri.getRawQuery() != null) {
                    for (String pair : uri.getRawQuery().split("&")) {
                        assertThat(pair.split("=", 2)[0].toLowerCase(Locale.ROOT))
                                .isNotIn("state", "code", "error", "error_description");
                    }
                }
            }
            case ReturnToPolicy.Verdict.Rejected rejected -> assertThat(rejected.reason()).isNotBlank();
        }
    }
}
