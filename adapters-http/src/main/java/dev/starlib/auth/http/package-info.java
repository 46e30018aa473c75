/**
 * The public HTTP API, {@code /auth/soundcloud/...}, on Helidon SE.
 * <p>
 * Bootstrap calls {@link dev.starlib.auth.http.PublicApi#register} with the use cases (or none, when the
 * credentials are missing) and installs {@link dev.starlib.auth.http.PublicApi#directHandlers} on the server.
 * Inside: {@code AuthRoutes} turns requests into use-case calls and results into answers; the parsers
 * ({@code QueryParameters}, {@code JsonBody}) reject bad input with a {@code RejectedRequest};
 * {@code ErrorHandling} and {@code TransportErrors} turn every failure into a problem written by
 * {@code ProblemWriter}; {@code FailureProblems} alone maps failed logins and refreshes to statuses;
 * {@code SecurityHeaders} and {@code CorsFilter} run before routing so error responses carry their headers;
 * {@code Pages} renders the JTE templates of {@code src/main/jte}, precompiled and HTML-escaped.
 */
package dev.starlib.auth.http;
