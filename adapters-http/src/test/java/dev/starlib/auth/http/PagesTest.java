package dev.starlib.auth.http;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The templates themselves: shared layout, escaping in text and attribute-adjacent positions, length caps. */
class PagesTest {

    private final Pages pages = new Pages();

    @Test
    void everyPageUsesTheSharedLayout() {
        String done = pages.donePage(DonePage.of(DonePage.Kind.SIGNED_IN));
        String rejected = pages.rejectedPage("This sign-in has expired.");

        assertThat(done).startsWith("<!DOCTYPE html>").contains("<title>Signed in · Starlib</title>", "<main>");
        assertThat(rejected).startsWith("<!DOCTYPE html>").contains("<title>Sign-in not completed · Starlib</title>",
                "This sign-in has expired.");
    }

    @Test
    void markupInTheDescriptionIsRenderedAsText() {
        String html = pages.donePage(DonePage.redirectedError("access_denied", Optional.of("<script>alert(1)</script> & <b>bold</b>")));

        assertThat(html).doesNotContain("<script>", "<b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
    }

    @Test
    void quotesInTheErrorCannotBreakOut() {
        String html = pages.donePage(DonePage.redirectedError("x\"'><svg onload=alert(1)>", Optional.empty()));

        assertThat(html).doesNotContain("<svg").contains("&lt;svg");
    }

    @Test
    void rejectionDetailIsEscapedToo() {
        String html = pages.rejectedPage("<iframe src=//evil.example>");

        assertThat(html).doesNotContain("<iframe").contains("&lt;iframe");
    }

    @Test
    void overlongDescriptionIsCutShort() {
        DonePage page = DonePage.redirectedError("access_denied", Optional.of("x".repeat(10_000)));

        assertThat(page.message()).hasSize(DonePage.MAX_DESCRIPTION_LENGTH + 1).endsWith("…");
    }

    @Test
    void everyKindOfEndingHasAPageAndOnlyOneClaimsASignIn() {
        for (DonePage.Kind kind : DonePage.Kind.values()) {
            String html = pages.donePage(kind == DonePage.Kind.FAILED
                    ? DonePage.redirectedError("access_denied", Optional.empty()) : DonePage.of(kind));

            assertThat(html).as(kind.name()).startsWith("<!DOCTYPE html>").contains("<h1>");
            if (kind == DonePage.Kind.SIGNED_IN) {
                assertThat(html).contains("Signed in");
            } else {
                assertThat(html).as(kind.name()).doesNotContain("Signed in");
            }
        }
    }

    @Test
    void sandboxPagesSayTheyAreTheSandbox() {
        Pages sandbox = new Pages(true);

        assertThat(sandbox.donePage(DonePage.of(DonePage.Kind.SIGNED_IN)))
                .contains("class=\"sandbox\"", "Sandbox mode");
        assertThat(sandbox.rejectedPage("This sign-in has expired.")).contains("Sandbox mode");
        assertThat(pages.donePage(DonePage.of(DonePage.Kind.SIGNED_IN))).doesNotContain("Sandbox mode");
    }
}
