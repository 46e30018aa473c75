package dev.starlib.auth.store;

import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.TokenHash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * How one record of the session log is laid out. A record says what one key holds from now on (a whole
 * session, {@link Kind#PUT}) or that it holds nothing ({@link Kind#REMOVE}); the last record of a key wins.
 * Remembered rotations of the refresh-token ledger share the log in a namespace of their own
 * ({@link Kind#ROTATION_PUT}, {@link Kind#ROTATION_REMOVE}), keyed by the SHA-256 of the rotated token. The app
 * token is kept in the same log, under {@link #APP_TOKEN_KEY}, as {@link Kind#APP_TOKEN} records. Logs written
 * before either existed read as they always did. A rewrite of the log seals many sessions to a record
 * ({@link Kind#PACK}, laid out by {@link LogPack}), so that a start opens one AES-GCM body per some 80 sessions.
 * <pre>
 *   magic    4  F5 53 4C 01 ("SL", format 1)  \
 *   kind     1  1 = put, 2 = remove,           | header: in clear, the AES-GCM associated data
 *               3 = rotation put, 4 = rotation remove, 5 = app token,
 *               6 = pack (many puts in one body)
 *   key     32  SHA-256 of the state (or token)|
 *               (app: of "starlib-auth:app-token",
 *               pack: of "starlib-auth:pack")
 *   length   4  of the body, big-endian        /
 *   crc      4  CRC32C of the 41 bytes above
 *   body     n  nonce (12) || AES-GCM(session) || tag (16)
 *   crc      4  CRC32C of the body
 * </pre>
 * The CRCs find torn and damaged bytes and let a reader find the next record after them; the GCM tag proves
 * that this service's key sealed the body under exactly this header.
 */
final class LogFormat {

    static final int MAGIC = 0xF5534C01;
    static final int ASSOCIATED_BYTES = 4 + 1 + 32 + 4;
    static final int HEADER_BYTES = ASSOCIATED_BYTES + 4;
    static final int TRAILER_BYTES = 4;
    /** Far above any real session (two 4 KiB tokens, a 2 KiB URL, a user from a /me answer capped at 64 KiB). */
    static final int MAX_BODY_BYTES = 1 << 20;
    static final int MAX_RECORD_BYTES = HEADER_BYTES + MAX_BODY_BYTES + TRAILER_BYTES;

    private static final HexFormat HEX = HexFormat.of();
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    /** The app token's key: a SHA-256 that no state hashes to, as no one can find its preimage among states. */
    static final StateHash APP_TOKEN_KEY = new StateHash(HEX.formatHex(sha256("starlib-auth:app-token")));
    /** The key a pack's header carries: the keys it holds are inside its sealed body. */
    static final StateHash PACK_KEY = new StateHash(HEX.formatHex(sha256("starlib-auth:pack")));

    enum Kind {
        PUT(1), REMOVE(2), ROTATION_PUT(3), ROTATION_REMOVE(4), APP_TOKEN(5), PACK(6);

        final byte code;

        Kind(int code) {
            this.code = (byte) code;
        }

        static Kind of(byte code) {
            return switch (code) {
                case 1 -> PUT;
                case 2 -> REMOVE;
                case 3 -> ROTATION_PUT;
                case 4 -> ROTATION_REMOVE;
                case 5 -> APP_TOKEN;
                case 6 -> PACK;
                default -> null;
            };
        }

        /** A record of the rotation ledger rather than of a session. */
        boolean rotation() {
            return this == ROTATION_PUT || this == ROTATION_REMOVE;
        }
    }

    private LogFormat() {
    }

    /** A whole record: {@code plaintext} sealed under {@code sealer} with this record's header. */
    static byte[] encode(Kind kind, StateHash key, byte[] plaintext, Sealer sealer) {
        return encode(kind, key.hex(), plaintext, sealer);
    }

    /** A record of the rotation ledger. */
    static byte[] encode(Kind kind, TokenHash key, byte[] plaintext, Sealer sealer) {
        return encode(kind, key.hex(), plaintext, sealer);
    }

    private static byte[] encode(Kind kind, String keyHex, byte[] plaintext, Sealer sealer) {
        return encode(kind, HEX.parseHex(keyHex), plaintext, plaintext.length, sealer);
    }

    /** A whole record of {@code plaintext[0, length)} under the 32 bytes of {@code key}. */
    static byte[] encode(Kind kind, byte[] key, byte[] plaintext, int length, Sealer sealer) {
        int bodyLength = length + Sealer.OVERHEAD;
        if (bodyLength > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a session of " + length + " bytes is too large to store");
        }
        byte[] record = new byte[HEADER_BYTES + bodyLength + TRAILER_BYTES];
        ByteBuffer out = ByteBuffer.wrap(record);
        out.putInt(MAGIC).put(kind.code).put(key).putInt(bodyLength);
        out.putInt(crc(record, 0, ASSOCIATED_BYTES));
        sealer.seal(record, ASSOCIATED_BYTES, plaintext, length, record, HEADER_BYTES);
        ByteBuffer.wrap(record, HEADER_BYTES + bodyLength, TRAILER_BYTES).putInt(crc(record, HEADER_BYTES, bodyLength));
        return record;
    }

    /** The header that starts at {@code offset}, or {@code null} when these bytes are not one. */
    static Header header(byte[] bytes, int offset) {
        java.util.Objects.checkFromIndexSize(offset, HEADER_BYTES, bytes.length);
        if (intAt(bytes, offset) != MAGIC) {
            return null;
        }
        Kind kind = Kind.of(bytes[offset + 4]);
        int bodyLength = intAt(bytes, offset + 4 + 1 + 32);
        int expectedCrc = intAt(bytes, offset + ASSOCIATED_BYTES);
        if (kind == null || bodyLength < Sealer.OVERHEAD || bodyLength > MAX_BODY_BYTES
                || crc(bytes, offset, ASSOCIATED_BYTES) != expectedCrc) {
            return null;
        }
        return new Header(kind, SessionTable.Key.of(bytes, offset + 5), bodyLength);
    }

    static boolean bodyIntact(byte[] bytes, int bodyOffset, int bodyLength) {
        int stored = intAt(bytes, bodyOffset + bodyLength);
        return crc(bytes, bodyOffset, bodyLength) == stored;
    }

    /**
     * The big-endian int at {@code offset}: read in place, since a start reads two per record for a million records
     * (a {@code ByteBuffer} around the bytes each time was 4 % of what a start allocated).
     */
    static int intAt(byte[] bytes, int offset) {
        return (int) BIG_ENDIAN_INT.get(bytes, offset);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /**
     * {@code key} is the 32 key bytes, as the {@link SessionTable} keeps them (no hex string on the way): a state's
     * hash, or for a rotation record a token's.
     */
    record Header(Kind kind, SessionTable.Key key, int bodyLength) {

        int recordBytes() {
            return HEADER_BYTES + bodyLength + TRAILER_BYTES;
        }

        StateHash stateHash() {
            return key.hash();
        }

        TokenHash tokenHash() {
            return new TokenHash(key.hex());
        }
    }
}
