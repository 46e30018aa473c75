package dev.starlib.auth.application.port;

/** The store could not do its job (disk full, I/O error): not an answer about a session, a fault. */
public class SessionStoreException extends RuntimeException {

    public SessionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
