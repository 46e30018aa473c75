/**
 * What the use cases need from the outside, named by what it does: {@code SessionStore} (create a login, apply a
 * domain transition to one atomically), {@code SessionInventory} (what operators may read), {@code SoundCloud}
 * (the token endpoint and {@code /me}), {@code AppTokenVault} (the app token, kept for every instance, renewed by
 * one caller at a time) and {@code AuthEvents} (what is reported for metrics and the dashboard).
 */
package dev.starlib.auth.application.port;
