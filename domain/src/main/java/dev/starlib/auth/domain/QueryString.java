package dev.starlib.auth.domain;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Appends query parameters to a URL, percent-encoding them as RFC 3986 wants (no '+' for spaces). */
public final class QueryString {

    private QueryString() {
    }

    /** {@code base} with {@code parameters} appended after any query it already has; a fragment is kept last. */
    public static URI append(URI base, Map<String, String> parameters) {
        StringBuilder query = new StringBuilder(base.getRawQuery() == null ? "" : base.getRawQuery());
        parameters.forEach((name, value) -> {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(encode(name)).append('=').append(encode(value));
        });
        String text = base.toString();
        String fragment = base.getRawFragment() == null ? "" : "#" + base.getRawFragment();
        String withoutFragment = fragment.isEmpty() ? text : text.substring(0, text.length() - fragment.length());
        int cut = withoutFragment.indexOf('?');
        String path = cut < 0 ? withoutFragment : withoutFragment.substring(0, cut);
        return URI.create(path + "?" + query + fragment);
    }

    public static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
