package dev.starlib.auth.store;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Many puts sealed as one record ({@link LogFormat.Kind#PACK}): what a rewrite of the log writes. One AES-GCM body per
 * some 80 sessions instead of one each: a rewrite seals, and a start opens, about a hundredth as many (each
 * {@code Cipher.init} builds an engine of about 880 bytes), the log is about a sixth smaller, and the sessions' keys
 * are sealed with the rest instead of standing in clear in each record's header. The pack's header carries
 * {@link LogFormat#PACK_KEY}; the keys are inside, where the GCM tag covers them with the rest:
 * <pre>
 *   body (sealed) = item*
 *   item          = kind (1: put, 3: rotation put, 5: app token) || key (32) || length (4, big-endian) || payload
 * </pre>
 * A pack is read whole or not at all: if it fails its CRC, its tag or its layout, none of its items is used, and as
 * its keys are then unknown, the reader treats it as lost bytes of unknown key.
 */
final class LogPack {

    /**
     * About how much plaintext one pack holds: some 80 pending logins. Not more: AES-GCM's GHASH and counter run as
     * intrinsics only in code the JIT has compiled with them inlined, which a few thousand calls of 64 KiB do not earn
     * early in a start (a JFR profile of a 10^6 open in 64 KiB packs spent most of the decoders' time in GHASH's Java
     * fallback); at 16 KiB the start opens ~12,000 bodies instead of 10^6, and runs the intrinsics.
     */
    static final int TARGET_BYTES = 16 << 10;
    static final int ITEM_HEADER_BYTES = 1 + 32 + 4;

    private LogPack() {
    }

    /** The kinds a pack holds: puts, each what its key holds from then on. */
    private static boolean packable(LogFormat.Kind kind) {
        return kind == LogFormat.Kind.PUT || kind == LogFormat.Kind.ROTATION_PUT || kind == LogFormat.Kind.APP_TOKEN;
    }

    /** What a pack holds, item by item, in the order it was packed. */
    interface Items {

        /**
         * @param bytes the pack's opened body: the item's 32 key bytes at {@code keyOffset}, its payload of
         *              {@code payloadLength} bytes at {@code payloadOffset}; valid until this returns
         */
        void item(LogFormat.Kind kind, byte[] bytes, int keyOffset, int payloadOffset, int payloadLength);
    }

    /**
     * Calls {@code items} for each item of {@code plaintext[0, length)}, a pack's opened body.
     *
     * @return how many items it holds
     * @throws IllegalArgumentException when the bytes are no pack this class wrote (the caller drops the whole
     *                                  pack, including the items it was already shown)
     */
    static int forEach(byte[] plaintext, int length, Items items) {
        int at = 0;
        int count = 0;
        while (at < length) {
            if (length - at < ITEM_HEADER_BYTES) {
                throw new IllegalArgumentException("a pack ends inside an item's header");
            }
            LogFormat.Kind kind = LogFormat.Kind.of(plaintext[at]);
            if (!packable(kind)) {
                throw new IllegalArgumentException("a pack holds an item of kind " + plaintext[at]);
            }
            int payloadLength = LogFormat.intAt(plaintext, at + 1 + 32);
            int payloadOffset = at + ITEM_HEADER_BYTES;
            if (payloadLength < 0 || payloadLength > length - payloadOffset) {
                throw new IllegalArgumentException("a pack's item runs past its end");
            }
            items.item(kind, plaintext, at + 1, payloadOffset, payloadLength);
            at = payloadOffset + payloadLength;
            count++;
        }
        if (count == 0) {
            throw new IllegalArgumentException("an empty pack");
        }
        return count;
    }

    /**
     * Packs puts as they come and hands each whole record to {@code out}: a pack when it is full, and at
     * {@link #flush()}. A put too large to share a pack goes out as a record of its own. Not thread-safe.
     */
    static final class Packer {

        private static final byte[] PACK_KEY = java.util.HexFormat.of().parseHex(LogFormat.PACK_KEY.hex());

        private final Sealer sealer;
        private final Consumer<byte[]> out;
        private final byte[] plaintext = new byte[TARGET_BYTES];
        private final byte[] key = new byte[32];
        private int filled;
        private long items;

        Packer(Sealer sealer, Consumer<byte[]> out) {
            this.sealer = Objects.requireNonNull(sealer, "sealer");
            this.out = Objects.requireNonNull(out, "out");
        }

        void add(LogFormat.Kind kind, SessionTable.Key key, byte[] payload) {
            key.copyInto(this.key, 0);
            add(kind, this.key, payload);
        }

        /** @param key the 32 key bytes */
        void add(LogFormat.Kind kind, byte[] key, byte[] payload) {
            if (!packable(kind)) {
                throw new IllegalArgumentException("only puts are packed, not " + kind);
            }
            int itemBytes = ITEM_HEADER_BYTES + payload.length;
            if (itemBytes > TARGET_BYTES / 2) {
                out.accept(LogFormat.encode(kind, key, payload, payload.length, sealer));
                items++;
                return;
            }
            if (filled + itemBytes > TARGET_BYTES) {
                flush();
            }
            plaintext[filled] = kind.code;
            System.arraycopy(key, 0, plaintext, filled + 1, 32);
            java.nio.ByteBuffer.wrap(plaintext, filled + 1 + 32, 4).putInt(payload.length);
            System.arraycopy(payload, 0, plaintext, filled + ITEM_HEADER_BYTES, payload.length);
            filled += itemBytes;
            items++;
        }

        /** Seals what is packed so far, if anything, and hands it out. */
        void flush() {
            if (filled > 0) {
                out.accept(LogFormat.encode(LogFormat.Kind.PACK, PACK_KEY, plaintext, filled, sealer));
                filled = 0;
            }
        }

        /** How many puts it took, packed or not: the log's records, as its history is counted. */
        long items() {
            return items;
        }
    }
}
