package dev.starlib.auth.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Appends records to the end of the log and makes each durable before returning. Uses the stream API on
 * purpose: a {@link java.nio.channels.FileChannel} is closed for good when a thread that uses it is
 * interrupted, and request threads may be. Not thread-safe; the store serialises its calls (one syncing caller
 * at a time, group commit).
 */
final class LogWriter implements AutoCloseable {

    private final RandomAccessFile file;
    private long size;

    private LogWriter(RandomAccessFile file, long size) {
        this.file = file;
        this.size = size;
    }

    /** Opens an existing log for appending after its last byte. */
    static LogWriter append(Path log) throws IOException {
        RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw");
        try {
            long size = file.length();
            file.seek(size);
            return new LogWriter(file, size);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** Writes the record and waits until the disk has it (fsync). */
    void append(byte[] record) throws IOException {
        appendAndSync(record, record.length);
    }

    /** Writes {@code bytes[0, length)} (records back to back) and waits until the disk has them: one fsync. */
    void appendAndSync(byte[] bytes, int length) throws IOException {
        file.write(bytes, 0, length);
        file.getFD().sync();
        size += length;
    }

    /** Writes many records and makes them durable with one fsync: for building a new log. */
    void appendAll(Iterable<byte[]> records) throws IOException {
        byte[] chunk = new byte[Math.max(1 << 20, LogFormat.MAX_RECORD_BYTES)];
        int filled = 0;
        for (byte[] record : records) {
            if (filled + record.length > chunk.length) {
                file.write(chunk, 0, filled);
                filled = 0;
            }
            System.arraycopy(record, 0, chunk, filled, record.length);
            filled += record.length;
            size += record.length;
        }
        file.write(chunk, 0, filled);
        file.getFD().sync();
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
