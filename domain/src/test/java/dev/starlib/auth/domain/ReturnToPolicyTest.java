package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The open-redirect guard: only plain absolute URLs on an allowed origin may receive the browser. */
class ReturnToPolicyTest {

    private static final ReturnToPolicy POLICY = ReturnToPolicy.ofOrigins(List.of(
            "http://localhost:3000", "http://127.0.0.1:8000", "https://tauri.localhost", "tauri://localhost",
            "starlib://localhost"));

    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost:3000/auth/soundcloud/callback",
            "http://localhost:3000/auth/soundcloud/callback?lang=en&x=1",
            "http://localhost:3000",
            "http://localhost:3000/",
            "http://LOCALHOST:3000/x",
            "HTTP://localhost:3000/x",
            "http://127.0.0.1:8000/auth/soundcloud/callback",
            "https://tauri.localhost/cb",
            "https://tauri.localhost:443/cb",
            "HTTPS://Tauri.LocalHost/cb",
            "tauri://localhost/cb",
            "starlib://localhost/cb",
            "http://localhost:3000/auth/soundcloud/callback?next=%2F%2Fevil.com",
    })
    void acceptsUrlsOnAnAllowedOrigin(String candidate) {
        ReturnToPolicy.Verdict verdict = POLICY.check(candidate);

        assertThat(verdict).isInstanceOf(ReturnToPolicy.Verdict.Accepted.class);
        ReturnTo returnTo = ((ReturnToPolicy.Verdict.Accepted) verdict).returnTo();
        assertThat(POLICY.allowedOrigins()).contains(returnTo.origin());
        assertThat(returnTo.uri().toString()).isEqualTo(candidate);
    }

    static Stream<String> hostileCandidates() {
        return Stream.of(
                // userinfo, in both directions: the host after '@' is what a browser visits; refused anyway
                "http://localhost:3000@evil.com/",
                "http://localhost:3000@evil.com",
                "http://evil.com@localhost:3000/",
                "http://user:pass@localhost:3000/cb",
                "http://@localhost:3000/cb",
                "http://localhost:3000;@evil.com/",
                "http://localhost%3A3000@evil.com/",
                // other ports and schemes
                "http://localhost:3001/",
                "http://localhost/",
                "http://localhost:80/",
                "http://localhost:03001/",
                "http://localhost:65536/",
                "http://localhost:4294970296/",
                "https://localhost:3000/",
                "ftp://localhost:3000/",
                "ws://localhost:3000/",
                "file://localhost:3000/etc/passwd",
                "http://tauri.localhost/cb",
                "https://tauri.localhost:8443/cb",
                "tauri://localhost:80/cb",
                "starlib://evil.com/cb",
                // not absolute, or not hierarchical
                "//localhost:3000/x",
                "///localhost:3000/x",
                "/relative",
                "relative/path",
                "localhost:3000/cb",
                "http:/localhost:3000/x",
                "http:///localhost:3000/x",
                "http:localhost:3000/x",
                "http://",
                "javascript:alert(1)",
                "JavaScript://localhost:3000/%0aalert(1)",
                "data:text/html,<script>alert(1)</script>",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "vbscript:msgbox(1)",
                // backslashes: browsers read them as slashes
                "http://localhost:3000\\@evil.com",
                "http:\\\\evil.com",
                "http:/\\evil.com",
                "http://evil.com\\localhost:3000",
                "http://localhost:3000/\\evil.com",
                // look-alike hosts
                "http://localhost.evil.com:3000/",
                "http://localhost:3000.evil.com/",
                "http://evil-localhost:3000/",
                "http://evillocalhost:3000/",
                "http://localhost.:3000/",
                "http://localhost..:3000/",
                "http://xn--lcalhost-9gg:3000/",
                "http://l\u043Ecalhost:3000/",
                "http://\uFF4C\uFF4F\uFF43\uFF41\uFF4C\uFF48\uFF4F\uFF53\uFF54:3000/",
                "http://localhost\u3002:3000/",
                "http://127.0.0.1:8000.evil",
                "http://127.0.0.1:8000.evil.com/",
                "http://127.1:8000/",
                "http://2130706433:8000/",
                "http://0x7f.0.0.1:8000/",
                "http://127.0.0.1.nip.io:8000/",
                "http://localhost:3000:3000/",
                "http://[::1]:3000/",
                "http://[::ffff:127.0.0.1]:8000/",
                "http://[0:0:0:0:0:0:0:1]:3000/",
                // percent-encoded host tricks
                "http://%6cocalhost:3000/",
                "http://localhost%2eevil.com:3000/",
                "http://localhost%00.evil.com:3000/",
                "http://localhost%2f@evil.com/",
                "http://l%D0%BEcalhost:3000/",
                // control characters and whitespace, raw
                "http://localhost:3000/\u0000",
                "http://localhost\u0000.evil.com:3000/",
                "http://localhost:3000/cb\t",
                "ht\ttp://localhost:3000/cb",
                "http://local\thost:3000/cb",
                "http://evil.com\t@localhost:3000/",
                "http://localhost:3000/cb\r\nSet-Cookie: x=y",
                "http://localhost:3000/cb\n",
                " http://localhost:3000/cb",
                "http://localhost:3000/cb ",
                "http://localhost:3000/a b",
                "http://localhost:3000/\u00A0",
                "http://localhost:3000/\u2028",
                "http://localhost:3000/\u007F",
                "http://localhost:3000/caf\u00E9",
                // fragments
                "http://localhost:3000/cb#",
                "http://localhost:3000/cb#x",
                "http://localhost:3000/cb#@evil.com",
                "http://localhost:3000#@evil.com",
                // characters java.net.URI would refuse anyway
                "http://localhost:3000/<script>",
                "http://localhost:3000/cb?x=\"",
                "http://[localhost]:3000/",
                // overlong
                "http://localhost:3000/" + "a".repeat(ReturnToPolicy.MAX_LENGTH),
                "http://localhost:3000/?" + "a".repeat(ReturnToPolicy.MAX_LENGTH - 22));
    }

    @ParameterizedTest
    @MethodSource("hostileCandidates")
    void refusesAnythingThatCouldLeaveTheAllowedOrigins(String candidate) {
        assertThat(POLICY.check(candidate)).isInstanceOf(ReturnToPolicy.Verdict.Rejected.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesMissingValues(String candidate) {
        assertThat(POLICY.check(candidate)).isInstanceOf(ReturnToPolicy.Verdict.Rejected.class);
    }

    @Test
    void acceptsUpToTheMaximumLengthAndNotOneCharacterMore() {
        String prefix = "http://localhost:3000/";
        String longest = prefix + "a".repeat(ReturnToPolicy.MAX_LENGTH - prefix.length());

        assertThat(longest).hasSize(2048);
        assertThat(POLICY.check(longest)).isInstanceOf(ReturnToPolicy.Verdict.Accepted.class);
        assertThat(POLICY.check(longest + "a")).isInstanceOf(ReturnToPolicy.Verdict.Rejected.class);
    }

    @Test
    void userinfoIsRefusedWhicheverSideOfTheAtSignNamesTheAllowedHost() {
        // Here the host is evil.com: following it would be an open redirect.
        assertThat(POLICY.check("http://localhost:3000@evil.com/"))
                .isEqualTo(new ReturnToPolicy.Verdict.Rejected("return_to must not contain user information"));
        // Here the host is localhost:3000 itself, but userinfo is never needed and confuses people and parsers.
        assertThat(POLICY.check("http://evil.com@localhost:3000"))
                .isEqualTo(new ReturnToPolicy.Verdict.Rejected("return_to must not contain user information"));
    }

    @Test
    void rejectionReasonNamesTheOriginButIsSafeToShow() {
        ReturnToPolicy.Verdict verdict = POLICY.check("http://evil.com/steal?token=x");

        assertThat(verdict).isInstanceOf(ReturnToPolicy.Verdict.Rejected.class);
        assertThat(((ReturnToPolicy.Verdict.Rejected) verdict).reason())
                .contains("http://evil.com").doesNotContain("token");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost:3000/cb?state=planted",
            "http://localhost:3000/cb?x=1&code=abc",
            "http://localhost:3000/cb?error=access_denied",
            "http://localhost:3000/cb?ERROR_DESCRIPTION=x",
            "http://localhost:3000/cb?access_token=t"})
    void refusesAReturnToThatAlreadyCarriesAParameterWeAppend(String candidate) {
        assertThat(POLICY.check(candidate)).isInstanceOf(ReturnToPolicy.Verdict.Rejected.class);
    }

    @Test
    void aPolicyWithoutOriginsRefusesEverything() {
        ReturnToPolicy none = ReturnToPolicy.ofOrigins(List.of());
        assertThat(none.check("http://localhost:3000/cb")).isInstanceOf(ReturnToPolicy.Verdict.Rejected.class);
    }

    @Test
    void defaultPortsAreTheSameOriginWhetherWrittenOrNot() {
        ReturnToPolicy policy = ReturnToPolicy.ofOrigins(List.of("http://example.test", "https://secure.test:443"));

        assertThat(policy.check("http://example.test:80/cb")).isInstanceOf(ReturnToPolicy.Verdict.Accepted.class);
        assertThat(policy.check("http://example.test/cb")).isInstanceOf(ReturnToPolicy.Verdict.Accepted.class);
        assertThat(policy.check("https://secure.test/cb")).isInstanceOf(ReturnToPolicy.Verdict.Accepted.class);
        assertThat(policy.check("http://secure.test:443/cb")).isInstanceOf(ReturnToPolicy.Verdict.Rejected.class);
    }

    @Test
    void originsBuiltByHandAreMatchedLikeParsedOnes() {
        ReturnToPolicy policy = new ReturnToPolicy(Set.of(new Origin("HTTPS", "Tauri.LocalHost", -1)));

        assertThat(policy.check("https://tauri.localhost/cb")).isInstanceOf(ReturnToPolicy.Verdict.Accepted.class);
    }

    private static final Pattern ACCEPTABLE_PREFIX = Pattern.compile(
            "(?i)(http://(localhost:0*3000|127\\.0\\.0\\.1:0*8000)"
                    + "|https://tauri\\.localhost(:0*443|:)?"
                    + "|(tauri|starlib)://localhost:?)([/?].*)?");

    /** Mutations of allowed URLs built from the characters that matter to URL parsers: never a throw. */
    @Test
    void neverThrowsAndAcceptsOnlyPlainUrlsOnAllowedOrigins() {
        Random random = new Random(20250301L);
        String[] seeds = {"http://localhost:3000/cb", "https://tauri.localhost/cb", "tauri://localhost/cb",
                "http://127.0.0.1:8000/cb"};
        String alphabet = ":/?#[]@!$&'()*+,;=%\\.-_~ \t\n\u0000aAzZ09\u043E\uFF0E";
        int acceptedCount = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder candidate = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(candidate.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                if (random.nextBoolean() && at < candidate.length()) {
                    candidate.setCharAt(at, c);
                } else {
                    candidate.insert(at, c);
                }
            }
            String text = candidate.toString();
            ReturnToPolicy.Verdict verdict = POLICY.check(text);
            if (verdict instanceof ReturnToPolicy.Verdict.Accepted accepted) {
                acceptedCount++;
                assertThat(POLICY.allowedOrigins()).as(text).contains(accepted.returnTo().origin());
                assertThat(text).as(text).doesNotContain("\\").doesNotContain("#").matches("\\p{Graph}+");
                // An oracle independent of java.net.URI: scheme and authority exactly as a browser splits them.
                assertThat(text).as(text).matches(ACCEPTABLE_PREFIX);
            }
        }
        assertThat(acceptedCount).as("the mutations must also produce acceptable URLs").isGreaterThan(300);
    }

    @Test
    void malformedConfiguredOriginFailsLoudly() {
        assertThatThrownBy(() -> ReturnToPolicy.ofOrigins(List.of("http://localhost:3000", "localhost:3000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost:3000");
        assertThatThrownBy(() -> ReturnToPolicy.ofOrigins(List.of("http://localhost:3000/callback")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
