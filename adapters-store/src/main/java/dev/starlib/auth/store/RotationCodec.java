package dev.starlib.auth.store;

import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A remembered rotation as the bytes the file store seals: its deadline, the hashes of the tokens it hands out, and
 * the answer exactly as the use case sealed it (which the store cannot open). The rotated token's hash is the
 * record's key.
 */
final class RotationCodec {

    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_HANDED_OUT = 8;

    private RotationCodec() {
    }

    static byte[] encode(RotationBook.Kept kept) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(kept.keepUntil().getEpochSecond());
            out.writeInt(kept.keepUntil().getNano());
            out.writeByte(kept.handsOut().size());
            for (TokenHash token : kept.handsOut()) {
                out.write(token.bytes());
            }
            byte[] answer = kept.answer().bytes();
            out.writeInt(answer.length);
            out.write(answer);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a remembered rotation this codec wrote */
    static RotationBook.Kept decode(byte[] plaintext) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(plaintext));
        try {
            Instant keepUntil = Instant.ofEpochSecond(in.readLong(), in.readInt());
            int count = in.readUnsignedByte();
            if (count > MAX_HANDED_OUT) {
                throw new IllegalArgumentException("too many tokens handed out");
            }
            Set<TokenHash> handsOut = new HashSet<>();
            for (int i = 0; i < count; i++) {
                handsOut.add(new TokenHash(HEX.formatHex(in.readNBytes(32))));
            }
            int length = in.readInt();
            if (length < 1 || length != in.available()) {
                throw new IllegalArgumentException("the answer's length does not match the record");
            }
            return new RotationBook.Kept(SealedRotation.of(in.readNBytes(length)), handsOut, keepUntil);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a remembered rotation", e);
        }
    }
}
