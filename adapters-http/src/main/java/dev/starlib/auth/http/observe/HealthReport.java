package dev.starlib.auth.http.observe;

import java.util.List;

/** Every health check, run once, for the dashboard: what {@code /observe/health} would answer now. */
public record HealthReport(List<CheckResult> checks) {

    public HealthReport {
        checks = List.copyOf(checks);
    }

    /** Ready to serve logins: every readiness check is UP. */
    public boolean ready() {
        return checks.stream().filter(check -> "readiness".equals(check.type())).allMatch(CheckResult::up);
    }

    public boolean live() {
        return checks.stream().filter(check -> "liveness".equals(check.type())).allMatch(CheckResult::up);
    }
}
