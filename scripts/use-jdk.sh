# Sourced by run.sh, test.sh and the other scripts: makes JAVA_HOME point at a JDK 21 or newer (Helidon 4 needs
# 21+). Keeps a JAVA_HOME that already qualifies; otherwise takes the newest suitable JDK among the usual places
# (/usr/lib/jvm, SDKMAN's, /opt/java; STARLIB_JDK_DIRS, space-separated, replaces that list).

java_major() { # prints the feature version of the java at $1/bin/java, or nothing
    [ -x "$1/bin/java" ] || return 0
    # The JDK's release file says it without starting a JVM (each start costs a tenth of a second or more of
    # ./run.sh's start); JAVA_VERSION="1.8.0_…" gives 1, below 21 as it should.
    local version=""
    if [ -f "$1/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
    fi
    if [ -n "$version" ]; then
        echo "$version"
        return 0
    fi
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

suitable_jdk() {
    local candidate major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(java_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ -x "$JAVA_HOME/bin/javac" ]; then
            echo "$JAVA_HOME"; return 0
        fi
    fi
    for candidate in ${STARLIB_JDK_DIRS:-/usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/*}; do
        [ -x "$candidate/bin/javac" ] || continue
        major=$(java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"; best_major="$major"
        fi
    done
    [ -n "$best" ] && echo "$best"
}

JAVA_HOME=$(suitable_jdk) || true
if [ -z "$JAVA_HOME" ]; then
    {
        echo "No JDK 21 or newer found: looked at JAVA_HOME and ${STARLIB_JDK_DIRS:-/usr/lib/jvm, ~/.sdkman/candidates/java and /opt/java}."
        echo "Starlib Auth needs one (Helidon 4). Debian 12's own packages stop at openjdk-17-jdk; Debian 13 and"
        echo "Ubuntu 24.04 have openjdk-21-jdk. Otherwise install a JDK 21+ build (Eclipse Temurin, say) under"
        echo "/usr/lib/jvm or /opt/java, or point JAVA_HOME at one."
    } >&2
    return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
