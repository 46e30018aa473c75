/**
 * Settings and wiring, and nothing else. {@code SettingsLoader} reads and checks every setting once and returns
 * typed values ({@code ServiceSettings}); {@code StarlibAuth} builds the service from them with one small factory
 * per part and closes what it opened when a later part fails; {@code OperatorListener} is the admin port;
 * {@code SandboxWiring} is the only door to the sandbox module; {@code Main} turns refusals into one line and an
 * exit code.
 */
package dev.starlib.auth.bootstrap;
