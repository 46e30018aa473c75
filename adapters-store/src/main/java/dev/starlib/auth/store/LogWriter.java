package dev.starlib.auth.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Appends records after the log's last one and makes each durable before returning. Uses the stream API on
 * purpose: a {@link java.nio.channels.FileChannel} is closed for good when a thread that uses it is
 * interrupted, and request threads may be. Not thread-safe; the store serialises its calls (one syncing caller
 * at a time, group commit).
 * <p>
 * <b>Preallocated</b> (when {@code preallocation > 0}): the file is kept zero-filled ahead of its last record, in
 * stretches of up to {@code preallocation} bytes (less while the log is small), each written and fsynced (length and
 * blocks included) before any record is written into it. Records then overwrite zeros in place, so the file's length
 * and block map do not change, and the file is opened {@code O_DSYNC} ({@code "rwd"}): each write returns once its
 * data is on the disk, as {@code fdatasync} would, without the file-system journal commit that an append which grows
 * the file needs on ext4 (and which also commits every other process's pending metadata). PostgreSQL zero-fills its
 * WAL segments for the same reason. {@link LogReplay} reads the zeros as the end of the log.
 */
final class LogWriter implements AutoCloseable {

    /** How much of a preallocated stretch one write fills in. */
    private static final int FILL_BYTES = 1 << 20;
    /** The least a stretch holds: a small log grows by about its own size, so it never more than doubles on disk. */
    private static final int LEAST_AHEAD = 64 << 10;

    private final RandomAccessFile file;
    private final int preallocation;
    /** Where the records end: the next one goes here. */
    private long size;
    /** The file's length; {@code [size, allocated)} is zeros. */
    private long allocated;
    /** What {@link #add} gathers before a write: a new log is built in few large writes. */
    private byte[] chunk;
    private int chunked;

    private LogWriter(RandomAccessFile file, int preallocation, long size, long allocated) {
        this.file = file;
        this.preallocation = preallocation;
        this.size = size;
        this.allocated = allocated;
    }

    /** Opens a log to write after its last byte, without preallocating: for building a new log. */
    static LogWriter append(Path log) throws IOException {
        return append(log, Files.size(log), 0);
    }

    /**
     * Opens an existing log for appending at {@code end}, where its records end ({@link LogReplay.Result#end()}):
     * whatever follows is zeros.
     *
     * @param preallocation how far ahead of its records to keep the file zero-filled; 0: grow it by each append
     *                      and fsync it
     */
    static LogWriter append(Path log, long end, int preallocation) throws IOException {
        if (preallocation < 0) {
            throw new IllegalArgumentException("preallocation must not be negative");
        }
        RandomAccessFile file = new RandomAccessFile(log.toFile(), preallocation > 0 ? "rwd" : "rw");
        try {
            long length = file.length();
            if (end < 0 || end > length) {
                throw new IllegalArgumentException("the log's records cannot end at " + end + " of " + length);
            }
            file.seek(end);
            return new LogWriter(file, preallocation, end, length);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Writes the record and waits until the disk has it. */
    void append(byte[] record) throws IOException {
        appendAndSync(record, record.length);
    }

    /** Writes {@code bytes[0, length)} (records back to back) and waits until the disk has them: one sync. */
    void appendAndSync(byte[] bytes, int length) throws IOException {
        if (preallocation > 0) {
            if (size + length > allocated) {
                zeroFillAhead(size + length);
            }
            file.write(bytes, 0, length); // O_DSYNC: on the disk when this returns
        } else {
            file.write(bytes, 0, length);
            file.getFD().sync();
        }
        size += length;
    }

    /**
     * Extends the file with zeros past {@code needed}, by {@code preallocation} bytes or by about the log's size if
     * that is less (at least 64 KiB), and makes the new length durable (fsync) before any record relies on it.
     */
    private void zeroFillAhead(long needed) throws IOException {
        long target = needed + Math.min(preallocation, Math.max(LEAST_AHEAD, needed));
        byte[] zeros = new byte[(int) Math.min(FILL_BYTES, target - allocated)];
        file.seek(allocated);
        while (allocated < target) {
            int count = (int) Math.min(zeros.length, target - allocated);
            file.write(zeros, 0, count);
            allocated += count;
        }
        file.getFD().sync();
        file.seek(size);
    }

    /** Writes many records and makes them durable with one fsync: for building a new log. */
    void appendAll(Iterable<byte[]> records) throws IOException {
        for (byte[] record : records) {
            add(record);
        }
        finish();
    }

    /**
     * Adds a record to a new log being built: written in chunks of a megabyte or so, durable only once
     * {@link #finish()} returns.
     */
    void add(byte[] record) throws IOException {
        if (preallocation > 0) {
            throw new IllegalStateException("a new log is built without preallocation, then appended to with it");
        }
        if (chunk == null) {
            chunk = new byte[Math.max(1 << 20, LogFormat.MAX_RECORD_BYTES)];
        }
        if (chunked + record.length > chunk.length) {
            file.write(chunk, 0, chunked);
            chunked = 0;
        }
        System.arraycopy(record, 0, chunk, chunked, record.length);
        chunked += record.length;
        size += record.length;
    }

    /** Writes what {@link #add} has not written yet and makes every record durable: one fsync. */
    void finish() throws IOException {
        if (chunked > 0) {
            file.write(chunk, 0, chunked);
            chunked = 0;
        }
        file.getFD().sync();
    }

    /** Where the records end (the preallocated zeros after them not counted). */
    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
