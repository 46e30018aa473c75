package dev.starlib.auth.http;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The templates themselves: shared layout, escaping in text and attribute-adjacent positions, length caps. */
class PagesTest {

    private final Pages pages = new Pages();

    @Test
    void everyPageUsesTheSharedLayout() {
        String done = pages.donePage(new DonePage(Optional.empty(), Optional.empty()));
        String rejected = pages.rejectedPage("This sign-in has expired.");

        assertThat(done).startsWith("<!DOCTYPE html>").contains("<title>Signed in · Starlib</title>", "<main>");
        assertThat(rejected).startsWith("<!DOCTYPE html>").contains("<title>Sign-in not completed · Starlib</title>",
                "This sign-in has expired.");
    }

    @Test
    void markupInTheDescriptionIsRenderedAsText() {
        String html = pages.donePage(new DonePage(Optional.of("access_denied"), Optional.of("<script>alert(1)</script> & <b>bold</b>")));

        assertThat(html).doesNotContain("<script>", "<b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;");
    }

    @Test
    void quotesInTheErrorCannotBreakOut() {
        String html = pages.donePage(new DonePage(Optional.of("x\"'><svg onload=alert(1)>"), Optional.empty()));

        assertThat(html).doesNotContain("<svg").contains("&lt;svg");
    }

    @Test
    void rejectionDetailIsEscapedToo() {
        String html = pages.rejectedPage("<iframe src=//evil.example>");

        assertThat(html).doesNotContain("<iframe").contains("&lt;iframe");
    }

    @Test
    void overlongDescriptionIsCutShort() {
        DonePage page = new DonePage(Optional.of("access_denied"), Optional.of("x".repeat(10_000)));

        assertThat(page.message()).hasSize(DonePage.MAX_DESCRIPTION_LENGTH + 1).endsWith("…");
    }

    @Test
    void blankErrorCountsAsSignedIn() {
        assertThat(new DonePage(Optional.of("  "), Optional.of("ignored")).signedIn()).isTrue();
    }

    @Test
    void sandboxPagesSayTheyAreTheSandbox() {
        Pages sandbox = new Pages(true);

        assertThat(sandbox.donePage(new DonePage(Optional.empty(), Optional.empty())))
                .contains("class=\"sandbox\"", "Sandbox mode");
        assertThat(sandbox.rejectedPage("This sign-in has expired.")).contains("Sandbox mode");
        assertThat(pages.donePage(new DonePage(Optional.empty(), Optional.empty()))).doesNotContain("Sandbox mode");
    }
}
