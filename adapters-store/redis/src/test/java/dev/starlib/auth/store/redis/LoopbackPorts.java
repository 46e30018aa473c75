package dev.starlib.auth.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for a test to hand to something it starts later (a service jar, haproxy, redis-server).
 *
 * <p>A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, the range it also gives every
 * outgoing connection its local port from. Between choosing such a port and binding it, often seconds when other
 * processes start first, any connection on the box can take it, and the bind fails with "Address already in use"
 * (CI saw haproxy fail that way). These ports come from just below that range instead
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}), where the kernel never puts a connection, and each is checked
 * free on loopback and handed out once per JVM.
 */
public final class LoopbackPorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The lowest port handed out: above the well-known and most registered services' ports. */
    private static final int FLOOR = 10_000;
    private static final int CEILING = ephemeralLow();
    private static final AtomicInteger NEXT = new AtomicInteger(
            FLOOR + ThreadLocalRandom.current().nextInt(CEILING - FLOOR));

    private LoopbackPorts() {
    }

    /** A loopback port nobody listens on, outside the ephemeral range, not handed out before by this JVM. */
    public static int free() {
        int span = CEILING - FLOOR;
        for (int tries = 0; tries < span; tries++) {
            int port = FLOOR + Math.floorMod(NEXT.getAndIncrement() - FLOOR, span);
            if (bindable(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in " + FLOOR + ".." + (CEILING - 1)));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first port of the kernel's ephemeral range; Linux's default when it cannot be read. Read by lines: JDK 25's
     * {@code Files.readString} gets one byte of a {@code /proc/sys} file.
     */
    private static int ephemeralLow() {
        try {
            int low = Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
            if (low <= FLOOR + 1_000) {
                throw new IllegalStateException("the ephemeral range starts at " + low + ": no room below it for "
                        + "test ports; raise it (sysctl net.ipv4.ip_local_port_range=\"32768 60999\")");
            }
            return low;
        } catch (IOException | NumberFormatException e) {
            return 32_768;
        }
    }
}
