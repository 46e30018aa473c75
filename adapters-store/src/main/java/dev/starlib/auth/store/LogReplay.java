package dev.starlib.auth.store;

import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.TokenHash;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the session log from the start and rebuilds what each key holds, failing closed: bytes that do not
 * check out are skipped and counted, and any session whose history they may have been part of is withheld,
 * so that a lost "consumed" or "picked up" can never bring a login or a result back. Remembered rotations are
 * read the same way, in their own namespace, and withheld the same way: a lost record could have been the
 * sign-out that forgot one. The app token is read the same way, and withheld when a record that may have replaced it
 * is unreadable.
 */
final class LogReplay {

    private static final int WINDOW_BYTES = 1 << 20;

    /** What was skipped, by cause. None of it was served. */
    record Skipped(int tornTails, int damaged, int foreignKey, int withheld) {

        int records() {
            return tornTails + damaged + foreignKey;
        }

        boolean any() {
            return records() + withheld > 0;
        }
    }

    /**
     * The sessions, remembered rotations and the app token to serve; {@code records} counts the intact records read,
     * to measure the log's garbage. {@code appTokenWithheld}: the app token was dropped because a record that may have
     * replaced it is unreadable (serving an older one could hand out a token SoundCloud already replaced).
     */
    record Result(Map<StateHash, OAuthSession> sessions, Map<TokenHash, RotationBook.Kept> rotations,
                  Optional<AppTokenState> appToken, long records, Skipped skipped, boolean appTokenWithheld) {
    }

    private final Sealer sealer;
    private final Map<StateHash, OAuthSession> sessions = new HashMap<>();
    private final Map<TokenHash, RotationBook.Kept> rotations = new HashMap<>();
    private AppTokenState appToken;
    /** Where each key's last readable record starts, by {@link #slot} (sessions and rotations apart). */
    private final Map<String, Long> lastWrittenAt = new HashMap<>();
    /** Where each key's last unreadable record starts, when its header could still be read. */
    private final Map<String, Long> lastDamagedAt = new HashMap<>();
    /** Where the last stretch of unreadable bytes began that was followed by intact records; -1: none. */
    private long lostHistoryBefore = -1;
    private long records;
    private int tornTails;
    private int damaged;
    private int foreignKey;
    private int withheld;

    private LogReplay(Sealer sealer) {
        this.sealer = sealer;
    }

    static Result read(Path log, Sealer sealer) throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            return new LogReplay(sealer).replay(new Window(channel));
        }
    }

    private Result replay(Window window) throws IOException {
        long position = 0;
        while (position < window.size) {
            LogFormat.Header header = window.has(position, LogFormat.HEADER_BYTES)
                    ? LogFormat.header(window.bytes(), window.offset(position))
                    : null;
            if (header == null) {
                long next = nextHeader(window, position + 1);
                if (next < 0) {
                    tornTails++;
                    break;
                }
                // The key of whatever stood here is unknown, so every session written before it is suspect.
                damaged++;
                lostHistoryBefore = position;
                position = next;
                continue;
            }
            if (!window.has(position, header.recordBytes())) {
                tornTails++; // the last write stopped half way: it was never acknowledged
                break;
            }
            apply(header, window, position);
            position += header.recordBytes();
        }
        Map<StateHash, OAuthSession> servable = servable();
        withholdRotationsWithLostHistory();
        boolean appTokenWithheld = appToken != null && historyLost("session:" + LogFormat.APP_TOKEN_KEY.hex());
        return new Result(servable, rotations, appTokenWithheld ? Optional.empty() : Optional.ofNullable(appToken),
                records, new Skipped(tornTails, damaged, foreignKey, withheld), appTokenWithheld);
    }

    /**
     * Sessions and rotations keep their histories apart, though both are keyed by a SHA-256. The app token shares
     * the sessions' namespace under a key no state hashes to ({@link LogFormat#APP_TOKEN_KEY}).
     */
    private static String slot(LogFormat.Header header) {
        return (header.kind().rotation() ? "rotation:" : "session:") + header.key();
    }

    private void apply(LogFormat.Header header, Window window, long position) {
        byte[] bytes = window.bytes();
        int start = window.offset(position);
        int body = start + LogFormat.HEADER_BYTES;
        String slot = slot(header);
        if (!LogFormat.bodyIntact(bytes, body, header.bodyLength())) {
            damaged++;
            lastDamagedAt.put(slot, position);
            return;
        }
        byte[] plaintext;
        try {
            plaintext = sealer.open(bytes, start, LogFormat.ASSOCIATED_BYTES, bytes, body, header.bodyLength());
        } catch (AEADBadTagException e) {
            foreignKey++;
            lastDamagedAt.put(slot, position);
            return;
        }
        try {
            switch (header.kind()) {
                case PUT -> sessions.put(header.stateHash(), SessionCodec.decode(header.stateHash(), plaintext));
                case REMOVE -> sessions.remove(header.stateHash());
                case ROTATION_PUT -> rotations.put(header.tokenHash(), RotationCodec.decode(plaintext));
                case ROTATION_REMOVE -> rotations.remove(header.tokenHash());
                case APP_TOKEN -> {
                    if (!header.stateHash().equals(LogFormat.APP_TOKEN_KEY)) {
                        throw new IllegalArgumentException("an app token record under another key");
                    }
                    appToken = AppTokenCodec.decode(plaintext);
                }
            }
        } catch (IllegalArgumentException e) {
            damaged++;
            lastDamagedAt.put(slot, position);
            return;
        }
        records++;
        lastWrittenAt.put(slot, position);
    }

    /**
     * Withholds each session that {@link OAuthSession#handsSomethingOut() could still hand something out} when a
     * record that may have superseded it is unreadable: a record of its own key written after its last
     * readable one, or unreadable bytes of unknown key after it. The lost record could have been its
     * "consumed" or "picked up". The others stay: whatever followed them, they hand nothing out.
     */
    private Map<StateHash, OAuthSession> servable() {
        var entries = sessions.entrySet().iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            if (!entry.getValue().handsSomethingOut()) {
                continue;
            }
            String slot = "session:" + entry.getKey().hex();
            if (historyLost(slot)) {
                entries.remove();
                withheld++;
            }
        }
        return sessions;
    }

    /** Every remembered rotation hands out a pair, so each one whose later history may be lost is withheld. */
    private void withholdRotationsWithLostHistory() {
        var entries = rotations.entrySet().iterator();
        while (entries.hasNext()) {
            if (historyLost("rotation:" + entries.next().getKey().hex())) {
                entries.remove();
                withheld++;
            }
        }
    }

    private boolean historyLost(String slot) {
        long written = lastWrittenAt.get(slot);
        return written < lostHistoryBefore || lastDamagedAt.getOrDefault(slot, -1L) > written;
    }

    /** The next position at or after {@code from} where an intact header starts, or -1. */
    private static long nextHeader(Window window, long from) throws IOException {
        for (long candidate = from; candidate + LogFormat.HEADER_BYTES <= window.size; candidate++) {
            if (window.has(candidate, LogFormat.HEADER_BYTES)
                    && LogFormat.header(window.bytes(), window.offset(candidate)) != null) {
                return candidate;
            }
        }
        return -1;
    }

    /** A sliding view of the file, large enough to hold any whole record. */
    private static final class Window {

        final long size;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(Math.max(WINDOW_BYTES, LogFormat.MAX_RECORD_BYTES));
        private long start;
        private int length;

        Window(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        /** Makes {@code [position, position + count)} readable; false when the file ends before. */
        boolean has(long position, int count) throws IOException {
            if (position + count > size) {
                return false;
            }
            if (position >= start && position + count <= start + length) {
                return true;
            }
            buffer.clear();
            start = position;
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, start + buffer.position());
                if (read < 0) {
                    break;
                }
            }
            length = buffer.position();
            return position + count <= start + length;
        }

        byte[] bytes() {
            return buffer.array();
        }

        int offset(long position) {
            return (int) (position - start);
        }
    }
}
