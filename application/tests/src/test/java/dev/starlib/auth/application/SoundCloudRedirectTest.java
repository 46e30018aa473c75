package dev.starlib.auth.application;

import dev.starlib.auth.domain.State;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.starlib.auth.application.Fixtures.RANDOM;
import static org.assertj.core.api.Assertions.assertThat;

class SoundCloudRedirectTest {

    private final State state = State.generate(RANDOM);

    @Test
    void errorCodeIsLowercasedAndKeptWhenItIsAPlainToken() {
        assertThat(new SoundCloudRedirect.Refused(state, "Invalid_Scope", Optional.empty()).error())
                .isEqualTo("invalid_scope");
    }

    @Test
    void errorCodeThatIsNotAPlainTokenBecomesAccessDenied() {
        assertThat(new SoundCloudRedirect.Refused(state, "a b", Optional.empty()).error()).isEqualTo("access_denied");
        assertThat(new SoundCloudRedirect.Refused(state, null, Optional.empty()).error()).isEqualTo("access_denied");
    }

    @Test
    void plainDescriptionIsKeptAndStripped() {
        assertThat(new SoundCloudRedirect.Refused(state, "access_denied",
                Optional.of("  The user denied the request.  ")).description())
                .contains("The user denied the request.");
    }

    @Test
    void descriptionWithMarkupOrControlsIsDropped() {
        assertThat(new SoundCloudRedirect.Refused(state, "access_denied",
                Optional.of("<b>bold</b>")).description()).isEmpty();
        assertThat(new SoundCloudRedirect.Refused(state, "access_denied",
                Optional.of("it's \"quoted\" & `ticked`")).description()).isEmpty();
        assertThat(new SoundCloudRedirect.Refused(state, "access_denied",
                Optional.of("back\\slash")).description()).isEmpty();
        assertThat(new SoundCloudRedirect.Refused(state, "access_denied",
                Optional.of("a\r\nb")).description()).isEmpty();
        assertThat(new SoundCloudRedirect.Refused(state, "access_denied",
                Optional.of("x".repeat(201))).description()).isEmpty();
        assertThat(new SoundCloudRedirect.Refused(state, "access_denied",
                Optional.of("x".repeat(200))).description()).isPresent();
    }

    @Test
    void printsNeitherStateNorCode() {
        SoundCloudRedirect.Approved approved = new SoundCloudRedirect.Approved(state,
                new dev.starlib.auth.domain.AuthorizationCode("the-one-time-code"));

        assertThat(approved.toString()).doesNotContain(state.value()).doesNotContain("the-one-time-code");
    }
}
