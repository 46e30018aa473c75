package dev.starlib.auth.http.admin;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** The user and password of an {@code Authorization: Basic ...} header (RFC 7617), if it is one. */
record BasicAuthorization(String user, String password) {

    private static final String SCHEME = "basic ";
    /** Far more than a user and password need; a larger header is not worth decoding. */
    private static final int MAX_HEADER_LENGTH = 1024;

    static Optional<BasicAuthorization> parse(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH
                || !header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return Optional.empty();
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(header.substring(SCHEME.length()).strip());
            String pair = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new BasicAuthorization(pair.substring(0, colon), pair.substring(colon + 1)));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "BasicAuthorization[user=" + user + ", password=<hidden>]";
    }
}
