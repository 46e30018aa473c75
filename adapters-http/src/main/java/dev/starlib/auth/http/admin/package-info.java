/**
 * The operator dashboard, {@code /admin}, on the admin listener only. {@link dev.starlib.auth.http.admin.AdminApi}
 * mounts it; {@code AdminService} checks HTTP Basic credentials ({@link dev.starlib.auth.http.admin.AdminCredentials},
 * compared in constant time) and sets the page headers; {@code Dashboard} reads the store, the metrics and the
 * health checks into a {@code DashboardView}, which {@code AdminPages} renders with the precompiled templates of
 * {@code src/main/jte/admin} inside the shared layout. Cancelling a session is a POST carrying a {@code CsrfToken}.
 */
package dev.starlib.auth.http.admin;
