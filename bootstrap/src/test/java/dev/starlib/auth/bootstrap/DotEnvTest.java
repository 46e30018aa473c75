package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DotEnvTest {

    @Test
    void readsAssignmentsCommentsQuotesAndExport() {
        var values = DotEnv.parse("""
                # SoundCloud app
                CLIENT_ID=abc123
                export CLIENT_SECRET="s3cr$t#with=signs"
                BACKEND_PORT = 9000   # trailing comment
                EMPTY=
                not an assignment
                SINGLE='quoted value'
                """);
        assertThat(values)
                .containsEntry("CLIENT_ID", "abc123")
                .containsEntry("CLIENT_SECRET", "s3cr$t#with=signs")
                .containsEntry("BACKEND_PORT", "9000")
                .containsEntry("EMPTY", "")
                .containsEntry("SINGLE", "quoted value")
                .hasSize(5);
    }
}
