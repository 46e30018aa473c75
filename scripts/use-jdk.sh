# Sourced by run.sh and test.sh: makes JAVA_HOME point at a JDK 21 or newer (Helidon 4 needs 21+).
# Keeps a JAVA_HOME that already qualifies; otherwise takes the newest suitable JDK under /usr/lib/jvm.

java_major() { # prints the feature version of the java at $1/bin/java, or nothing
    [ -x "$1/bin/java" ] || return 0
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
    for candidate in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/*; do
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
    echo "No JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk'." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
