package dev.starlib.auth.http;

/**
 * JSON strings written by hand, for the one answer whose cost matters (the {@code /authorize} body, written on
 * every login start, where the object mapper took about a tenth of the route's samples). RFC 8259 §7: a quote, a
 * backslash and U+0000..U+001F must be escaped; this also escapes everything from U+007F up as {@code \}{@code uXXXX},
 * so the output is plain ASCII whatever the input (lone surrogates included, which a parser reads back as the
 * same chars), and U+2028/U+2029 cannot end a line in a script that embeds it.
 */
final class JsonStrings {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStrings() {
    }

    /** Appends {@code value} as a quoted JSON string. */
    static StringBuilder appendQuoted(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7F) {
                        json.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
