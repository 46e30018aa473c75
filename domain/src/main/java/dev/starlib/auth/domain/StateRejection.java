package dev.starlib.auth.domain;

/** Why a state presented to {@code /redirect} or {@code /callback} cannot complete a login. */
public enum StateRejection {
    UNKNOWN("This sign-in link is not known here. Start the sign-in again."),
    EXPIRED("This sign-in took too long and has expired. Start the sign-in again."),
    ALREADY_USED("This sign-in has already been completed. Start the sign-in again if you need to.");

    private final String detail;

    StateRejection(String detail) {
        this.detail = detail;
    }

    /** A sentence for the user; the wire code for all three is {@code invalid_state}. */
    public String detail() {
        return detail;
    }
}
