/**
 * The use cases: what a request to the service does, in the service's words. {@code StartLogin},
 * {@code CompleteLogin} (both flows), {@code PickUpLogin} and {@code RefreshTokens} serve the public API;
 * {@code SessionOverview} and {@code CancelLogin} serve operators. Each asks the domain what happens and its
 * ports to do it, and returns a sealed result that the HTTP adapter turns into a status. {@code Failures} is the
 * one place where a failed SoundCloud call becomes what the client is told.
 */
package dev.starlib.auth.application;
