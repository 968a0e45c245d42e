package io.tessera.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** An HL7 v2 sender over MLLP on loopback, as a RIS sends: one framed message, then the framed ACK it gets back. */
public final class MllpClient {
    private MllpClient() {}

    /** Sends {@code message} (segments separated by CR) to 127.0.0.1:{@code port} and returns the ACK text. */
    public static String exchange(int port, String message) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(0x0b);
            out.write(message.getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[] {0x1c, 0x0d});
            out.flush();
            return readFrame(s.getInputStream());
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        if (in.read() != 0x0b) throw new IOException("ACK does not start with an MLLP start block");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != 0x1c) {
            if (b < 0) throw new IOException("connection closed inside an MLLP frame");
            buf.write(b);
        }
        if (in.read() != 0x0d) throw new IOException("MLLP end block without its carriage return");
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
