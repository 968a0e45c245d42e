package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.app.console.ConsoleUsers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HashPasswordCommandTest {
    @TempDir Path dir;
    private final InputStream oldIn = System.in;

    @AfterEach
    void restore() {
        System.setIn(oldIn);
    }

    @Test
    void prints_a_users_file_line_that_the_console_accepts() throws Exception {
        System.setIn(new ByteArrayInputStream("night shift password\n".getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new HashPasswordCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("night", "tessera/studies.read", "tessera/outbox.read"));
        String line = out.toString().strip();
        assertTrue(line.startsWith("night:$2a$12$") && line.endsWith(":tessera/studies.read tessera/outbox.read"), line);
        assertFalse(line.contains("night shift password"));
        Path users = Files.writeString(dir.resolve("users"), line + "\n");
        assertEquals(Set.of("tessera/studies.read", "tessera/outbox.read"),
                new ConsoleUsers(users).check("night", "night shift password".toCharArray()).orElseThrow().scopes());
    }

    @Test
    void a_short_password_or_a_name_with_a_colon_is_a_usage_error() {
        System.setIn(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
        CommandLine cl = new CommandLine(new HashPasswordCommand());
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute("night"));
        assertEquals(2, new CommandLine(new HashPasswordCommand()).setErr(new PrintWriter(new StringWriter())).execute("a:b"));
    }
}
