package dev.starlib.auth.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 5869 Appendix A, test cases 1 to 3 (the SHA-256 ones). */
class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> rfc5869() {
        return Stream.of(
                Arguments.of("basic", range(0x00, 13), repeat(0x0b, 22), range(0xf0, 10), 42,
                        "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                Arguments.of("longer inputs and outputs", range(0x60, 80), range(0x00, 80), range(0xb0, 80), 82,
                        "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e0"
                                + "9da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"),
                Arguments.of("zero-length salt and info", new byte[0], repeat(0x0b, 22), new byte[0], 42,
                        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc5869")
    void matchesTheRfcTestVectors(String name, byte[] salt, byte[] ikm, byte[] info, int length, String prk,
                                  String okm) {
        assertThat(HEX.formatHex(Hkdf.extract(salt, ikm))).isEqualTo(prk);
        assertThat(HEX.formatHex(Hkdf.expand(HEX.parseHex(prk), info, length))).isEqualTo(okm);
        assertThat(HEX.formatHex(Hkdf.derive(salt, ikm, info, length))).isEqualTo(okm);
    }

    @ParameterizedTest
    @MethodSource("impossibleLengths")
    void refusesLengthsTheRfcDoesNotAllow(int length) {
        assertThatThrownBy(() -> Hkdf.expand(new byte[32], new byte[0], length))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static IntStream impossibleLengths() {
        return IntStream.of(0, -1, 255 * 32 + 1);
    }

    private static byte[] range(int first, int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }

    private static byte[] repeat(int value, int count) {
        byte[] bytes = new byte[count];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
