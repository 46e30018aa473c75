# Sourced by run.sh and read by the benchmark (./bench.sh): the JVM settings the service runs with, in one place,
# so that the benchmark measures exactly what run.sh starts. Empty for now: the JVM's own defaults (an unbounded
# heap of a quarter of the RAM, G1). Choosing them (heap bound, GC, AOT cache) is phase B of issue 12; see
# docs/performance.md.
STARLIB_JVM_OPTIONS=()
