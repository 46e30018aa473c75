package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The console handler: a request never waits for the output, and nothing at WARNING is lost without a word. */
class AsyncConsoleHandlerTest {

    private static LogRecord record(Level level, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("dev.starlib.auth.test");
        return record;
    }

    @Test
    void everyRecordIsWrittenInOrderByTheTimeFlushReturns() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, 64);
        for (int i = 0; i < 500; i++) {
            handler.publish(record(i % 7 == 0 ? Level.WARNING : Level.INFO, "line " + i));
            if (i % 50 == 0) {
                handler.flush();
            }
        }
        handler.flush();

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        long written = lines.stream().filter(line -> line.contains("line ")).count();
        long dropped = handler.dropped(AsyncConsoleHandler.Severity.BELOW_WARNING);
        assertThat(written + dropped).isEqualTo(500);
        assertThat(handler.dropped(AsyncConsoleHandler.Severity.WARNING_OR_ABOVE)).isZero();
        List<Integer> order = lines.stream().filter(line -> line.contains("line "))
                .map(line -> Integer.valueOf(line.substring(line.indexOf("line ") + 5).strip())).toList();
        assertThat(order).isSorted();
        handler.close();
    }

    @Test
    void aStuckOutputNeverHoldsTheCallerAndWarningsKeepTheirShareOfTheQueue() throws Exception {
        StuckOutput out = new StuckOutput();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, 100);

        // Far more than the queue holds, with the writer stuck in its first write: each publish must return.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 10_000; i++) {
                handler.publish(record(Level.INFO, "info " + i));
            }
            for (int i = 0; i < 20; i++) {
                handler.publish(record(Level.WARNING, "warning " + i));
            }
        });
        long droppedInfo = handler.dropped(AsyncConsoleHandler.Severity.BELOW_WARNING);
        assertThat(droppedInfo).isGreaterThan(9_000);
        assertThat(handler.dropped(AsyncConsoleHandler.Severity.WARNING_OR_ABOVE)).isZero();

        out.release();
        handler.flush();
        String written = out.written();
        for (int i = 0; i < 20; i++) {
            assertThat(written).contains("warning " + i + System.lineSeparator());
        }
        long infoLines = written.lines().filter(line -> line.contains(": info ")).count();
        assertThat(infoLines + droppedInfo).isEqualTo(10_000);
        assertThat(written).contains("the log output could not keep up: " + droppedInfo
                + " lines below WARNING and 0 at WARNING or above were dropped");
        handler.close();
    }

    @Test
    void warningsBeyondTheWholeQueueAreCountedAndReported() throws Exception {
        StuckOutput out = new StuckOutput();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, 8);

        for (int i = 0; i < 30; i++) {
            handler.publish(record(Level.SEVERE, "error " + i));
        }

        long dropped = handler.dropped(AsyncConsoleHandler.Severity.WARNING_OR_ABOVE);
        assertThat(dropped).isPositive(); // beyond the queue and the batch the stuck writer holds
        out.release();
        handler.flush();
        String written = out.written();
        assertThat(written.lines().filter(line -> line.contains(": error ")).count() + dropped).isEqualTo(30);
        assertThat(written).contains("0 lines below WARNING and " + dropped + " at WARNING or above were dropped");
        handler.close();
    }

    @Test
    void afterCloseRecordsAreWrittenAtOnce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, 16);
        handler.publish(record(Level.INFO, "before close"));
        handler.close();
        handler.publish(record(Level.INFO, "after close"));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("before close").contains("after close");
    }

    /** An output whose first write waits until the test releases it: a console nobody reads. */
    private static final class StuckOutput extends OutputStream {
        private final CountDownLatch released = new CountDownLatch(1);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void release() {
            released.countDown();
        }

        String written() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
        }
    }
}
