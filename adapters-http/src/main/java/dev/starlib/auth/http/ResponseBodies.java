package dev.starlib.auth.http;

import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.Tokens;

import java.nio.charset.StandardCharsets;


/** The JSON bodies of successful answers; the mapper writes their components in snake_case. */
final class ResponseBodies {

    private ResponseBodies() {
    }

    /** {@code url} repeats {@code authorization_url}: the design doc says one, the shipped frontend reads the other. */
    record Authorization(String authorizationUrl, String url, String state) {

        static Authorization of(String authorizationUrl, State state) {
            return new Authorization(authorizationUrl, authorizationUrl, state.value());
        }

        /**
         * What the object mapper writes for this record (the same names, in the same order), written directly: this
         * answer goes out with every login start. Plain ASCII (see {@link JsonStrings}).
         */
        byte[] json() {
            StringBuilder json = new StringBuilder(48 + 2 * authorizationUrl.length() + url.length() + state.length());
            json.append("{\"authorization_url\":");
            JsonStrings.appendQuoted(json, authorizationUrl).append(",\"url\":");
            JsonStrings.appendQuoted(json, url).append(",\"state\":");
            JsonStrings.appendQuoted(json, state).append('}');
            return json.toString().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return "Authorization[redacted]";
        }
    }

    record Login(String accessToken, String refreshToken, long expiresIn, User user) {

        static Login of(LoginOutcome.Succeeded succeeded) {
            Tokens tokens = succeeded.tokens();
            return new Login(tokens.accessToken().value(), tokens.refreshToken().value(),
                    tokens.expiresIn().toSeconds(), User.of(succeeded.user()));
        }

        @Override
        public String toString() {
            return "Login[redacted]";
        }
    }

    /** What the frontend caches as {@code sc_user}. */
    record User(long id, String username, String permalink, String avatarUrl) {

        static User of(SoundCloudUser user) {
            return new User(user.id(), user.username(), user.permalink(), user.avatarUrl());
        }
    }

    record RefreshedTokens(String accessToken, String refreshToken, long expiresIn) {

        static RefreshedTokens of(Tokens tokens) {
            return new RefreshedTokens(tokens.accessToken().value(), tokens.refreshToken().value(),
                    tokens.expiresIn().toSeconds());
        }

        @Override
        public String toString() {
            return "RefreshedTokens[redacted]";
        }
    }
}
