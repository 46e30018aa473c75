/**
 * What operators observe: {@link dev.starlib.auth.http.observe.AuthMetrics} turns the application's
 * {@code AuthEvents} into Helidon meters and keeps the last few outcomes; {@link
 * dev.starlib.auth.http.observe.ServiceHealth} holds the health checks. Bootstrap serves both under
 * {@code /observe} on the admin port, and the admin dashboard reads them directly.
 */
package dev.starlib.auth.http.observe;
