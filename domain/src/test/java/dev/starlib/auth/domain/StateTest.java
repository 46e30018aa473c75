package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String VALUE = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE";

    @Test
    void generatedStateIs43Base64UrlCharactersCarrying256Bits() {
        State state = State.generate(RANDOM);

        assertThat(state.value()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(state.value())).hasSize(32);
    }

    @Test
    void thousandsOfGeneratedStatesAreAllDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(State.generate(RANDOM).value());
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void generatedStateParsesBackToItself() {
        State state = State.generate(RANDOM);
        assertThat(State.parse(state.value())).contains(state);
    }

    @ParameterizedTest
    @ValueSource(ints = {22, 43, 128})
    void parseAcceptsLengthsWithinBounds(int length) {
        assertThat(State.parse("A".repeat(length))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 21, 129, 10_000})
    void parseRefusesTooShortOrTooLong(int length) {
        assertThat(State.parse("A".repeat(length))).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "abcdefghijklmnopqrstuvwxyz0123456789+/ABCDE",
            "abcdefghijklmnopqrstuvwxyz0123456789-_ABCD=",
            "abcdefghijklmnopqrstuvwxyz 0123456789-_ABCD",
            "abcdefghijklmnopqrstuvwxyz%30123456789-_ABC",
            "abcdefghijklmnopqrstuvwxyz0123456789-_ABCD\n",
            "abcdefghijklmnopqrstuvwxyz0123456789-_ABCD\u0000",
            "abcdefghijklmnopqrstuvwxyz0123456789-_ABCDé",
            "abcdefghijklmnopqrstuvwxyz0123456789&state=x",
    })
    void parseRefusesIllegalValues(String raw) {
        assertThat(State.parse(raw)).isEmpty();
    }

    @Test
    void constructorRefusesWhatParseRefuses() {
        assertThatThrownBy(() -> new State("too-short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new State(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void hashIsSha256InLowercaseHex() {
        // sha256 of VALUE, computed independently (python hashlib)
        assertThat(new State(VALUE).hash().hex())
                .isEqualTo("30329e6672d47ed68335b2af12c129956345c61188152e8218c485bd7d6cc356");
    }

    @Test
    void hashIsStableAndDistinguishesStates() {
        State state = State.generate(RANDOM);
        State other = State.generate(RANDOM);

        assertThat(state.hash()).isEqualTo(new State(state.value()).hash());
        assertThat(state.hash().hex()).matches("[0-9a-f]{64}");
        assertThat(state.hash()).isNotEqualTo(other.hash());
    }

    @Test
    void hintIsTheFirstEightCharacters() {
        assertThat(new State(VALUE).hint()).isEqualTo("abcdefgh");
    }

    @Test
    void stateHashRefusesAnythingButSixtyFourLowercaseHexDigits() {
        assertThatThrownBy(() -> new StateHash("ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateHash("A".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateHash("a".repeat(63))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateHash("a".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateHash("a".repeat(63) + "g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateHash("a".repeat(63) + "/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateHash("a".repeat(63) + ":")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new StateHash("0123456789abcdef".repeat(4)).hex()).hasSize(64);
        assertThat(new StateHash("a".repeat(64)).hex()).hasSize(64);
    }
}
