package dev.starlib.auth.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OAuthParametersTest {

    @Test
    void valuesAreFormDecoded() {
        var parameters = OAuthParameters.parse("state=a+b%26c&redirect_uri=http%3A%2F%2Fx%2Fy");

        assertThat(parameters.single("state")).hasValue("a b&c");
        assertThat(parameters.single("redirect_uri")).hasValue("http://x/y");
    }

    @Test
    void aParameterWithoutValueCountsAsAbsent() {
        var parameters = OAuthParameters.parse("code=&state&grant_type=authorization_code");

        assertThat(parameters.single("code")).isEmpty();
        assertThat(parameters.single("state")).isEmpty();
        assertThat(parameters.single("grant_type")).hasValue("authorization_code");
    }

    @Test
    void aRepeatedParameterIsReportedAndHasNoSingleValue() {
        var parameters = OAuthParameters.parse("code=1&state=s&code=2");

        assertThat(parameters.repeatedName()).hasValue("code");
        assertThat(parameters.single("code")).isEmpty();
    }

    @Test
    void nothingIsRepeatedInAnOrdinaryRequest() {
        assertThat(OAuthParameters.parse("a=1&b=2").repeatedName()).isEmpty();
        assertThat(OAuthParameters.parse("").repeatedName()).isEmpty();
        assertThat(OAuthParameters.parse(null).single("a")).isEmpty();
    }

    @Test
    void aBrokenPercentEscapeIsMalformed() {
        assertThatThrownBy(() -> OAuthParameters.parse("state=%zz")).isInstanceOf(IllegalArgumentException.class);
    }
}
