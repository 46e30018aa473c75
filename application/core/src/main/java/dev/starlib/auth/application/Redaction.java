package dev.starlib.auth.application;

import java.net.URI;

/** Printing URLs whose query carries a secret (the state). */
final class Redaction {

    private Redaction() {
    }

    /** The URL up to its path, with {@code ?…} standing for a query and {@code #…} for a fragment. */
    static String withoutQuery(URI uri) {
        String text = uri.toString();
        int cut = text.length();
        for (char c : new char[] {'?', '#'}) {
            int at = text.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return text.substring(0, cut) + (uri.getRawQuery() != null ? "?…" : "") + (uri.getRawFragment() != null ? "#…" : "");
    }
}
