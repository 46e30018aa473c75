package dev.starlib.auth.bootstrap;

import java.net.BindException;
import java.util.function.Supplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Helidon logs a listener that cannot bind as two SEVERE records with stack traces, then returns a server that
 * is not running; {@link StarlibAuth} then refuses the start in one line that names the variable and the port.
 * While the server starts, this drops those two records (and only those: a bind failure, and Helidon's summary
 * of a failed start), so an operator reads one line instead of forty.
 */
final class QuietBindFailures implements Filter {

    /** Where Helidon 4 logs a failed listener start. */
    static final String HELIDON_SERVER_LOGGER = "io.helidon.webserver.LoomServer";
    private static final String FAILED_START = "Helidon WebServer failed to start";

    private QuietBindFailures() {
    }

    static <T> T around(Supplier<T> start) {
        // Held in a local for the whole start: JUL keeps loggers weakly, and a collected logger loses its filter.
        Logger logger = Logger.getLogger(HELIDON_SERVER_LOGGER);
        Filter previous = logger.getFilter();
        logger.setFilter(new QuietBindFailures());
        try {
            return start.get();
        } finally {
            logger.setFilter(previous);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return !(causedByBindFailure(record.getThrown()) || (message != null && message.startsWith(FAILED_START)));
    }

    private static boolean causedByBindFailure(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
            if (cause.getCause() == cause) {
                return false;
            }
        }
        return false;
    }
}
