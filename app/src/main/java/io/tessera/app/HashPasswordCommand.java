package io.tessera.app;

import io.tessera.app.console.ConsoleUsers;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera hash-password NAME [SCOPE...]}: reads a password without echo (or one line from standard input when
 * there is no terminal) and prints a {@code console.usersFile} line for it. The password is never an argument: an
 * argument shows in the process list and the shell's history.
 */
@Command(name = "hash-password", description = "Print a console.usersFile line (name:bcrypt-hash:scopes) for a password read from the terminal or stdin.")
final class HashPasswordCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user's name (no ':').")
    String name;

    @Parameters(index = "1..*", paramLabel = "SCOPE", description = "Its scopes (default: tessera/admin).")
    java.util.List<String> scopes;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (name.isBlank() || name.contains(":") || name.chars().anyMatch(Character::isWhitespace)) {
            spec.commandLine().getErr().println("the name must not be blank or hold ':' or spaces");
            return 2;
        }
        char[] password = read();
        try {
            if (password == null || password.length < 8) {
                spec.commandLine().getErr().println("a password of at least 8 characters is needed");
                return 2;
            }
            String scopeList = scopes == null || scopes.isEmpty() ? Caller.ADMIN : String.join(" ", scopes);
            out.println(name + ":" + ConsoleUsers.hash(password) + ":" + scopeList);
            out.flush();
            return 0;
        } finally {
            if (password != null) Arrays.fill(password, '\0');
        }
    }

    private static char[] read() throws IOException {
        Console console = System.console();
        if (console != null) return console.readPassword("Password for the console user: ");
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
