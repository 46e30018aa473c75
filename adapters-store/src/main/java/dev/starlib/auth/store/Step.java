package dev.starlib.auth.store;

/** What a transition leaves under its key ({@code null}: nothing) and what it answers. */
record Step<R>(Session session, R answer) {

    static <R> Step<R> become(Session next, R answer) {
        return new Step<>(next, answer);
    }

    static <R> Step<R> keep(Session current, R answer) {
        return new Step<>(current, answer);
    }

    static <R> Step<R> drop(R answer) {
        return new Step<>(null, answer);
    }
}
