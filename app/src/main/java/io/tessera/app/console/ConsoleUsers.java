package io.tessera.app.console;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The console's local users, from the {@code console.usersFile}: one a line, {@code name:bcrypt-hash:scope scope…},
 * blank lines and {@code #} comments ignored. The file is read again when it changes, so adding a user or changing a
 * password needs no restart. Passwords are only ever compared through bcrypt.
 */
public final class ConsoleUsers {
    /** A user as the file names it. */
    public record User(String name, String hash, Set<String> scopes) {}

    /** A hash of nothing anyone types: an unknown name still costs one bcrypt check, so timing does not tell names apart. */
    private static final String DUMMY = BCrypt.withDefaults().hashToString(10, "no such user".toCharArray());
    private final Path file;
    private FileTime loaded;
    private Map<String, User> users = Map.of();

    public ConsoleUsers(Path file) throws IOException {
        this.file = file;
        reload();
    }

    /** Parses the file's text; a malformed line is refused with its number (TSR-0833), never its content. */
    static Map<String, User> parse(String text) {
        Map<String, User> out = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split(":", 3);
            if (parts.length < 2 || parts[0].isBlank() || !parts[1].startsWith("$2")) {
                throw new IllegalArgumentException("TSR-0833: console users file line " + (n + 1)
                        + " is not name:bcrypt-hash:scope scope...");
            }
            Set<String> scopes = parts.length < 3 || parts[2].isBlank() ? Set.of()
                    : Set.copyOf(Arrays.asList(parts[2].trim().split("\\s+")));
            out.put(parts[0].trim(), new User(parts[0].trim(), parts[1].trim(), scopes));
        }
        return out;
    }

    private synchronized void reload() throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        if (modified.equals(loaded)) return;
        users = parse(Files.readString(file, StandardCharsets.UTF_8));
        loaded = modified;
    }

    /** The user when {@code name} is known and {@code password} matches its hash. */
    public Optional<User> check(String name, char[] password) {
        try {
            reload();
        } catch (IOException | IllegalArgumentException e) {
            // keep the users last read: a half-written file must not lock every operator out
            org.slf4j.LoggerFactory.getLogger(ConsoleUsers.class).warn("TSR-0833: console users file not re-read: {}", e.getMessage());
        }
        User u = users.get(name == null ? "" : name);
        boolean ok = BCrypt.verifyer().verify(password, (u == null ? DUMMY : u.hash()).toCharArray()).verified;
        return ok && u != null ? Optional.of(u) : Optional.empty();
    }

    /** A bcrypt hash for a users-file line (cost 12), as {@code tessera hash-password} prints it. */
    public static String hash(char[] password) {
        return BCrypt.withDefaults().hashToString(12, password);
    }
}
