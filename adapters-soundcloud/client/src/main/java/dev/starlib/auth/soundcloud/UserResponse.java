package dev.starlib.auth.soundcloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.SoundCloudUser;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads SoundCloud's {@code /me} answer into a {@link SoundCloudUser}, or says why it cannot be used. */
final class UserResponse {

    static final String UNREADABLE = "unreadable user response";

    private static final Pattern USER_URN = Pattern.compile("soundcloud:users:([0-9]{1,18})");

    private UserResponse() {
    }

    static UpstreamResult<SoundCloudUser> read(byte[] body) {
        Optional<JsonNode> parsed = UpstreamJson.object(body);
        if (parsed.isEmpty()) {
            return unreadable();
        }
        JsonNode object = parsed.get();
        OptionalLong id = id(object);
        Optional<String> username = UpstreamJson.text(object, "username").filter(name -> !name.isBlank());
        if (id.isEmpty() || username.isEmpty()) {
            return unreadable();
        }
        // Display extras: one that is missing or of the wrong type is dropped rather than failing the login.
        String permalink = UpstreamJson.text(object, "permalink").orElse(null);
        String avatarUrl = UpstreamJson.text(object, "avatar_url").orElse(null);
        return new UpstreamResult.Success<>(new SoundCloudUser(id.getAsLong(), username.get(), permalink, avatarUrl));
    }

    /** {@code id} when SoundCloud sends one; otherwise the number that ends the {@code urn}. */
    private static OptionalLong id(JsonNode object) {
        if (!UpstreamJson.isAbsent(object, "id")) {
            return UpstreamJson.positiveLong(object, "id");
        }
        Optional<Matcher> urn = UpstreamJson.text(object, "urn").map(USER_URN::matcher).filter(Matcher::matches);
        if (urn.isEmpty()) {
            return OptionalLong.empty();
        }
        long id = Long.parseLong(urn.get().group(1));
        return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
    }

    private static UpstreamResult<SoundCloudUser> unreadable() {
        return new UpstreamResult.Unavailable<>(UNREADABLE);
    }
}
