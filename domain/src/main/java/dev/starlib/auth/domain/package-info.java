/**
 * The rules of signing in, in plain Java: nothing here does I/O or knows a framework.
 * <p>
 * {@link dev.starlib.auth.domain.OAuthSession} is the login lifecycle: its stages and the transitions between
 * them, as pure functions that stores apply. {@link dev.starlib.auth.domain.State},
 * {@link dev.starlib.auth.domain.CodeVerifier} and {@link dev.starlib.auth.domain.CodeChallenge} are the OAuth
 * and PKCE values; {@link dev.starlib.auth.domain.ReturnToPolicy} decides where a browser may be sent. Every
 * type that carries a secret redacts it from {@code toString()}.
 */
package dev.starlib.auth.domain;
