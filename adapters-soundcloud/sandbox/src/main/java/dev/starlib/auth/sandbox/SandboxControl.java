package dev.starlib.auth.sandbox;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** The current fault switches of one sandbox instance, shared by all its endpoints and safe to flip at any time. */
public final class SandboxControl {

    private static final System.Logger LOG = System.getLogger(SandboxControl.class.getName());

    private final AtomicReference<SandboxSwitches> switches = new AtomicReference<>(SandboxSwitches.DEFAULTS);

    public SandboxSwitches current() {
        return switches.get();
    }

    public void set(SandboxSwitches newSwitches) {
        Objects.requireNonNull(newSwitches, "newSwitches");
        switches.set(newSwitches);
        // Switches hold no secrets; a CI log that shows them explains a failing scenario.
        LOG.log(System.Logger.Level.INFO, "sandbox SoundCloud switches now {0}", newSwitches);
    }

    public void reset() {
        set(SandboxSwitches.DEFAULTS);
    }
}
