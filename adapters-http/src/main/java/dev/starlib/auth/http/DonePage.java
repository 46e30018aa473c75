package dev.starlib.auth.http;

import java.util.Optional;

/**
 * What {@code /done} says: signed in, or the error the redirect carried. The values come straight from the
 * query string: the template escapes them, and they are cut short so a crafted link cannot fill the page.
 */
record DonePage(Optional<String> errorCode, Optional<String> description) {

    static final int MAX_ERROR_LENGTH = 64;
    static final int MAX_DESCRIPTION_LENGTH = 300;

    DonePage {
        errorCode = errorCode.map(String::strip).filter(e -> !e.isEmpty()).map(e -> shorten(e, MAX_ERROR_LENGTH));
        description = description.map(String::strip).filter(d -> !d.isEmpty())
                .map(d -> shorten(d, MAX_DESCRIPTION_LENGTH));
    }

    static DonePage from(QueryParameters query) {
        // Any state in the query is ignored on purpose: it must never be echoed into a page.
        return new DonePage(query.optional("error"), query.optional("error_description"));
    }

    boolean signedIn() {
        return errorCode.isEmpty();
    }

    String error() {
        return errorCode.orElse("");
    }

    String message() {
        return description.orElse("SoundCloud did not complete the sign-in.");
    }

    private static String shorten(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "…";
    }
}
