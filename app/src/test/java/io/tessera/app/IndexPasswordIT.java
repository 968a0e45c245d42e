package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage.indexPassword from the environment: the server starts with it, and refuses to start without or with another. */
class IndexPasswordIT {
    @TempDir Path work;

    @Test
    void the_server_starts_only_with_the_index_password_it_was_first_given() throws Exception {
        ServerConfig config = ServerConfig.in(work);
        Path file = config.write();
        try (TesseraServer first = start(file, "first-secret")) {
            // made the index with its password
        }

        Exception wrong = assertThrows(Exception.class, () -> start(file, "other-secret").close());
        assertTrue(String.valueOf(wrong.getMessage()).contains("TSR-0150"), String.valueOf(wrong.getMessage()));
        assertFalse(String.valueOf(wrong.getMessage()).contains("other-secret"), "the password is never printed");
        Exception none = assertThrows(Exception.class, () -> TesseraServer.start(new ConfigLoader().load(file, Map.of(), List.of())).close());
        assertTrue(String.valueOf(none.getMessage()).contains("TSR-0150"), String.valueOf(none.getMessage()));

        try (TesseraServer again = start(file, "first-secret")) {
            // opens again
        }
    }

    private static TesseraServer start(Path file, String password) throws Exception {
        return TesseraServer.start(new ConfigLoader().load(file, Map.of("TESSERA_STORAGE_INDEXPASSWORD", password), List.of()));
    }
}
