package io.tessera.demo;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo's command line: the whole {@code tessera} command with {@code demo} added (running it is the README's job). */
class DemoTest {
    @Test
    void demo_is_a_subcommand_of_tessera_with_its_own_help() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.addSubcommand(new Demo());
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("demo", "--help"));
        assertTrue(out.toString().startsWith("Usage: tessera demo [-h] [WORK_DIR]"), out.toString());
        assertEquals(0, cl.execute("--help"));
        assertTrue(out.toString().contains("demo"), out.toString());
        assertTrue(out.toString().contains("serve"), out.toString());
    }

    @Test
    void the_demo_refuses_a_second_work_folder_as_a_usage_error() {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand(new Demo());
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(2, cl.execute("demo", "a", "b"));
    }
}
