package dev.starlib.auth.soundcloud;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** An {@code application/x-www-form-urlencoded} body, encoded as the HTML form rules (and RFC 6749 §B) want. */
final class FormBody {

    private FormBody() {
    }

    /** The fields in iteration order, each name and value UTF-8 percent-encoded, spaces as '+'. */
    static byte[] encode(Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((name, value) -> body.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
