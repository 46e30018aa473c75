package dev.starlib.auth.sandbox;

import java.util.List;
import java.util.Optional;

/** The fixed cast of test users. The first one is the default for auto-approval. */
public final class SandboxUsers {

    /** SoundCloud's own placeholder avatar, which real users without a picture have too. */
    static final String DEFAULT_AVATAR = "https://a1.sndcdn.com/images/default_avatar_large.png";

    public static final SandboxUser ADA =
            new SandboxUser(1001, "Ada Lovelace", "Ada Lovelace", "ada-lovelace", DEFAULT_AVATAR, false);
    public static final SandboxUser ALAN =
            new SandboxUser(1002, "Alan Turing", "Alan Turing", "alan-turing", DEFAULT_AVATAR, false);
    public static final SandboxUser GRACE =
            new SandboxUser(1003, "Grace Hopper", "Grace Hopper", "grace-hopper", DEFAULT_AVATAR, false);
    /** Approving as Dan always ends in {@code access_denied}. */
    public static final SandboxUser DENIED_DAN =
            new SandboxUser(1099, "Denied Dan", "Denied Dan", "denied-dan", DEFAULT_AVATAR, true);

    private static final List<SandboxUser> ALL = List.of(ADA, ALAN, GRACE, DENIED_DAN);

    private SandboxUsers() {
    }

    public static List<SandboxUser> all() {
        return ALL;
    }

    public static SandboxUser defaultUser() {
        return ADA;
    }

    public static Optional<SandboxUser> byId(long id) {
        return ALL.stream().filter(user -> user.id() == id).findFirst();
    }

    /** The user whose decimal id is {@code id}; empty for anything else, including malformed text. */
    public static Optional<SandboxUser> byId(String id) {
        if (id == null || !id.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return byId(Long.parseLong(id));
    }
}
