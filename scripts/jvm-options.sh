# Sourced by run.sh and read by the benchmark (./bench.sh): the JVM settings the service runs with, in one place,
# so that the benchmark measures exactly what run.sh starts. Sizing them: docs/performance.md ("Memory").
#
# - The serial collector and a bounded heap: a small service on a few cores, whose live set is its sessions
#   (SESSION_STORE_CAPACITY of them) and little else. STARLIB_HEAP_MAX (default 128m) is the most heap it may
#   take; in a container, STARLIB_HEAP_MAX=container sizes it from the container's memory limit instead
#   (-XX:MaxRAMPercentage=60, leaving the rest to metaspace, code, stacks and the kernel's buffers).
# - Smaller stacks for the few platform threads (requests run on virtual threads, whose stacks live on the heap),
#   and a reserved code cache of 48 MB instead of 240.
# - JDK 25 or newer: the AOT cache that scripts/aot-cache.sh trains (JEP 514), when it is there and newer than the
#   jar; the JVM checks it is for this JDK and class path and ignores it otherwise. STARLIB_AOT=off leaves it out.
# - STARLIB_JAVA_OPTIONS (space-separated) come last, so they win over all of the above.
STARLIB_JVM_OPTIONS=(-XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m
    -XX:+ExitOnOutOfMemoryError)
if [ "${STARLIB_HEAP_MAX:-128m}" = container ]; then
    STARLIB_JVM_OPTIONS+=(-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=5)
else
    STARLIB_JVM_OPTIONS+=(-Xms8m "-Xmx${STARLIB_HEAP_MAX:-128m}")
fi
# Heap beyond what the live set needs goes back to the OS after a while instead of staying resident.
STARLIB_JVM_OPTIONS+=(-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)

STARLIB_AOT_CACHE="$(pwd)/bootstrap/target/starlib-auth.aot"
starlib_java_feature() { # the feature version of $JAVA_HOME (or the java on PATH), from its release file
    local home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" 2>/dev/null | head -n 1
}
STARLIB_JAVA_FEATURE="$(starlib_java_feature)"
starlib_java_runtime() {
    local home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
    sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$home/release" 2>/dev/null | head -n 1
}
STARLIB_JAVA_RUNTIME="$(starlib_java_runtime)"
if [ "${STARLIB_JAVA_FEATURE:-0}" -ge 22 ]; then
    # C heap the JIT and the JDK freed goes back to the OS every 2 s (malloc_trim) instead of staying resident
    # after a burst of compilation: idle RSS 101-102 MB instead of 106 in most of 8 starts. Product from JDK 22.
    STARLIB_JVM_OPTIONS+=(-XX:TrimNativeHeapInterval=2000)
    # The JDK's class-file writer (the ClassFile API) builds the ~60 classes a start spins at run time (method
    # handle forms, type switches, proxies), and its stack-map pass gets hot enough to be compiled in the first
    # second: the largest compilation of a start (5 MB of compiler arena). The compilers' arena chunks stay pooled
    # until the JVM's chunk-pool cleaner runs, 5 s after launch, so with it compiled an idle service held about
    # 102 MiB 3 s after its first 200 instead of 95 (its size from 5 s on: 93). Interpreted, it costs nothing
    # measurable at start, and a running service spins no classes. docs/performance.md, "B7: idle memory".
    STARLIB_JVM_OPTIONS+=(-XX:CompileCommand=quiet
        -XX:CompileCommand=exclude,jdk.internal.classfile.impl.StackMapGenerator::processBlock)
fi
if [ -n "${STARLIB_JAVA_OPTIONS:-}" ]; then
    read -r -a starlib_extra <<< "$STARLIB_JAVA_OPTIONS"
    STARLIB_JVM_OPTIONS+=("${starlib_extra[@]}")
fi
# What a cache is valid for: this JDK and these settings (a cache trained with others may be refused, silently).
STARLIB_AOT_KEY="$STARLIB_JAVA_RUNTIME ${STARLIB_JVM_OPTIONS[*]}"
if [ "${STARLIB_AOT:-on}" != off ] && [ "${STARLIB_JAVA_FEATURE:-0}" -ge 25 ] && [ -f "$STARLIB_AOT_CACHE" ] \
        && [ "$STARLIB_AOT_CACHE" -nt bootstrap/target/starlib-auth.jar ] \
        && [ "$(cat "$STARLIB_AOT_CACHE.key" 2>/dev/null)" = "$STARLIB_AOT_KEY" ]; then
    # -Xlog: JDK 25.0.3 warns at every start that one stub of its AOT code cache does not link (it is then
    # compiled as usual); the cache's classes are used all the same.
    STARLIB_JVM_OPTIONS+=("-XX:AOTCache=$STARLIB_AOT_CACHE" "-Xlog:aot*=off")
fi
