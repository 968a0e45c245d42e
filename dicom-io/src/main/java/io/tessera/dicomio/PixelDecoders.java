package io.tessera.dicomio;

import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Which transfer syntaxes this JVM can turn into pixel values when a volume is built. Instances are always stored as
 * received; decoding happens only here, so an undecodable syntax fails that series (TSR-0208), never the association.
 *
 * <p>PixelMed decodes the uncompressed syntaxes, deflate and RLE itself and asks Java ImageIO for the JPEG family:
 * baseline/extended 8-bit JPEG ship with the JDK; JPEG lossless comes from PixelMed's {@code pixelmed_imageio} reader
 * (a runtime dependency of this module); JPEG-LS and JPEG 2000 need an ImageIO plug-in on the class path and are
 * reported as undecodable without one. Decodability is looked up in ImageIO, so a missing jar reads as TSR-0208.
 */
final class PixelDecoders {
    private record Syntax(String name, String imageIoFormat) {}

    private static final Map<String, Syntax> KNOWN = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2", new Syntax("Implicit VR Little Endian", null)),
            Map.entry("1.2.840.10008.1.2.1", new Syntax("Explicit VR Little Endian", null)),
            Map.entry("1.2.840.10008.1.2.2", new Syntax("Explicit VR Big Endian", null)),
            Map.entry("1.2.840.10008.1.2.1.99", new Syntax("Deflated Explicit VR Little Endian", null)),
            Map.entry("1.2.840.10008.1.2.5", new Syntax("RLE Lossless", null)),
            Map.entry("1.2.840.10008.1.2.4.50", new Syntax("JPEG Baseline (Process 1)", "jpeg")),
            Map.entry("1.2.840.10008.1.2.4.51", new Syntax("JPEG Extended (Process 2 & 4)", "jpeg")),
            Map.entry("1.2.840.10008.1.2.4.57", new Syntax("JPEG Lossless (Process 14)", "jpeg-lossless")),
            Map.entry("1.2.840.10008.1.2.4.70", new Syntax("JPEG Lossless SV1 (Process 14, Selection Value 1)", "jpeg-lossless")),
            Map.entry("1.2.840.10008.1.2.4.80", new Syntax("JPEG-LS Lossless", "jpeg-ls")),
            Map.entry("1.2.840.10008.1.2.4.81", new Syntax("JPEG-LS Near-Lossless", "jpeg-ls")),
            Map.entry("1.2.840.10008.1.2.4.90", new Syntax("JPEG 2000 Lossless", "jpeg2000")),
            Map.entry("1.2.840.10008.1.2.4.91", new Syntax("JPEG 2000", "jpeg2000")));

    private PixelDecoders() {}

    /** A readable name with the UID, e.g. {@code JPEG 2000 (1.2.840.10008.1.2.4.91)}; an empty UID reads as implicit LE. */
    static String describe(String transferSyntaxUid) {
        String uid = effective(transferSyntaxUid);
        Syntax s = KNOWN.get(uid);
        return (s == null ? "unknown transfer syntax" : s.name()) + " (" + uid + ")";
    }

    /** True when pixels in this syntax can be decoded here (a codec may still refuse a particular bit depth). */
    static boolean canDecode(String transferSyntaxUid) {
        Syntax s = KNOWN.get(effective(transferSyntaxUid));
        if (s == null) return false;
        return s.imageIoFormat() == null || ImageIO.getImageReadersByFormatName(s.imageIoFormat()).hasNext();
    }

    /** True for the syntaxes whose Pixel Data is encapsulated (compressed) rather than native. */
    static boolean compressed(String transferSyntaxUid) {
        return effective(transferSyntaxUid).startsWith("1.2.840.10008.1.2.4.")
                || "1.2.840.10008.1.2.5".equals(effective(transferSyntaxUid));
    }

    /** The refusal for a slice whose pixels cannot be decoded. */
    static SeriesReadException undecodable(String file, String transferSyntaxUid, String detail) {
        return new SeriesReadException("TSR-0208", "instance " + file + " is encoded in " + describe(transferSyntaxUid)
                + ", which this server cannot decode" + (detail == null ? " (no codec installed)" : ": " + detail)
                + "; the instance is stored as received, ask the sender for an uncompressed, RLE or JPEG baseline copy");
    }

    private static String effective(String uid) {
        return uid == null || uid.isBlank() ? "1.2.840.10008.1.2" : uid.trim();
    }
}
