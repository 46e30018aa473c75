/**
 * Session stores behind the {@code SessionStore} and {@code SessionInventory} ports. They keep sessions, apply
 * the domain's transitions atomically per key, count, expire and (for the file store) seal and persist them; no
 * class here decides what a stage means. {@code MemorySessionStore} lives in this process;
 * {@code FileSessionStore} is an fsynced, AES-GCM-sealed append-only log ({@code LogFormat}, {@code LogReplay},
 * decision 0002).
 */
package dev.starlib.auth.store;
