package dev.starlib.auth.domain;

/** How many unexpired sessions a store holds in each stage, for gauges and the operator dashboard. */
public record SessionCounts(int pending, int exchanging, int finished, int pickedUp) {

    public static final SessionCounts NONE = new SessionCounts(0, 0, 0, 0);

    public SessionCounts {
        if (pending < 0 || exchanging < 0 || finished < 0 || pickedUp < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }

    /** These counts with one more session in {@code stage} (ended stages are never counted). */
    public SessionCounts plus(OAuthSession.Stage stage) {
        return switch (stage) {
            case PENDING -> new SessionCounts(pending + 1, exchanging, finished, pickedUp);
            case EXCHANGING -> new SessionCounts(pending, exchanging + 1, finished, pickedUp);
            case FINISHED -> new SessionCounts(pending, exchanging, finished + 1, pickedUp);
            case PICKED_UP -> new SessionCounts(pending, exchanging, finished, pickedUp + 1);
            case CANCELLED, EXPIRED -> this;
        };
    }

    public int total() {
        return pending + exchanging + finished + pickedUp;
    }
}
