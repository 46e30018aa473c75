package dev.starlib.auth.http.admin;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminCredentialsTest {

    private final AdminCredentials credentials = AdminCredentials.of("admin", "correct horse battery staple");

    @Test
    void theRightUserAndPasswordMatch() {
        assertThat(credentials.matches("admin", "correct horse battery staple")).isTrue();
    }

    @Test
    void aWrongPasswordOrUserOrBothDoNotMatch() {
        assertThat(credentials.matches("admin", "correct horse battery stapler")).isFalse();
        assertThat(credentials.matches("admin", "")).isFalse();
        assertThat(credentials.matches("Admin", "correct horse battery staple")).isFalse();
        assertThat(credentials.matches("root", "hunter2")).isFalse();
    }

    @Test
    void generatedPasswordsAreLongRandomAndMarkedAsGenerated() {
        AdminCredentials one = AdminCredentials.generate("admin", new SecureRandom());
        AdminCredentials two = AdminCredentials.generate("admin", new SecureRandom());

        assertThat(one.generated()).isTrue();
        assertThat(one.revealPassword()).hasSize(24).matches("[A-Za-z0-9_-]+").isNotEqualTo(two.revealPassword());
        assertThat(one.matches("admin", one.revealPassword())).isTrue();
    }

    @Test
    void passwordNeverAppearsInToString() {
        assertThat(credentials.toString()).contains("admin").doesNotContain("staple");
    }

    @Test
    void userNameWithAColonCouldNeverLogInSoItIsRefused() {
        assertThatThrownBy(() -> AdminCredentials.of("ad:min", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminCredentials.of("admin", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
