package io.tessera.app;

import io.tessera.listener.DicomListener;
import io.tessera.listener.ListenerSettings;
import io.tessera.listener.StudyIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.dicomio.SeriesReadException;
import io.tessera.dicomio.SeriesReader;
import io.tessera.testkit.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files in many transfer syntaxes (Debian python3-pydicom's test files, read in place) sent by dcmtk storescu:
 * each is stored exactly as received, and a volume is built from it when a codec exists, else refused with TSR-0208.
 */
class TransferSyntaxIT {
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    @TempDir Path spool;
    private StudyIndex index;
    private DicomListener listener;

    @BeforeEach
    void start() {
        assumeTrue(Files.isDirectory(PYDICOM), "python3-pydicom test files not installed (scripts/bootstrap.sh)");
        index = new StudyIndex(StudyIndex.defaultJdbcUrl(spool), spool);
        listener = new DicomListener(ListenerSettings.loopback("TESSERA", spool), index);
        listener.start();
    }

    @AfterEach
    void stop() {
        if (listener != null) listener.stop();
        if (index != null) index.close();
    }

    private Path sendAndFind(String name) throws Exception {
        // storescu proposes only uncompressed syntaxes unless told to propose the file's own compressed one
        String propose = name.contains("RLE") ? "--propose-rle" : name.contains("jpeg_ls") ? "--propose-jls-lossless"
                : name.contains("jp2klossless") ? "--propose-j2k-lossless"
                : "-xe";
        ExternalTool.Result r = ExternalTool.run(List.of("storescu", "-R", propose, "-aet", "SCU", "-aec", "TESSERA",
                "127.0.0.1", Integer.toString(listener.port()), PYDICOM.resolve(name).toString()),
                java.util.Map.of("TCP_NODELAY", "1"), 60);
        assertEquals(0, r.exitCode(), r.output());
        try (Stream<Path> s = Files.walk(spool.resolve("incoming"))) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            assertEquals(1, files.size(), files.toString());
            assertTrue(files.get(0).toString().endsWith(".dcm"));
            return files.get(0);
        }
    }

    /** The bytes after the File Meta Information group (group 0002), i.e. the data set as sent. */
    private static byte[] dataSet(Path part10) throws Exception {
        byte[] b = Files.readAllBytes(part10);
        int p = 132; // preamble + "DICM"
        while (p + 8 <= b.length && b[p] == 0x02 && b[p + 1] == 0x00) {
            String vr = new String(b, p + 4, 2, java.nio.charset.StandardCharsets.US_ASCII);
            boolean longForm = List.of("OB", "OW", "OF", "SQ", "UT", "UN").contains(vr);
            int len = longForm ? java.nio.ByteBuffer.wrap(b, p + 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                    : (b[p + 6] & 0xff) | (b[p + 7] & 0xff) << 8;
            p += (longForm ? 12 : 8) + len;
        }
        return Arrays.copyOfRange(b, p, b.length);
    }

    /** Pixel Data element as encoded (native or encapsulated fragments): from its last tag to the end of the file. */
    private static byte[] pixelData(Path f) throws Exception {
        byte[] b = dataSet(f);
        for (int i = b.length - 4; i >= 0; i--) {
            boolean le = b[i] == (byte) 0xE0 && b[i + 1] == 0x7F && b[i + 2] == 0x10 && b[i + 3] == 0x00;
            boolean be = b[i] == 0x7F && b[i + 1] == (byte) 0xE0 && b[i + 2] == 0x00 && b[i + 3] == 0x10;
            if (le || be) return Arrays.copyOfRange(b, i, b.length);
        }
        throw new AssertionError("no Pixel Data in " + f);
    }

    private static String transferSyntax(Path f) throws Exception {
        com.pixelmed.dicom.AttributeList l = new com.pixelmed.dicom.AttributeList();
        l.read(f.toFile(), com.pixelmed.dicom.TagFromName.PixelData);
        return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(l, com.pixelmed.dicom.TagFromName.TransferSyntaxUID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
            "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm"})
    void stores_each_transfer_syntax_byte_identical_and_decodes_it_or_names_it(String name) throws Exception {
        Path stored = sendAndFind(name);
        if (transferSyntax(stored).equals(transferSyntax(PYDICOM.resolve(name)))) {
            byte[] sent = pixelData(PYDICOM.resolve(name));
            byte[] kept = pixelData(stored);
            // storescu drops Data Set Trailing Padding (FFFC,FFFC) after Pixel Data; everything up to it is kept as is
            // the element header may differ in VR only (some writers label encapsulated Pixel Data OW instead of OB)
            assertArrayEquals(Arrays.copyOfRange(sent, 0, 4), Arrays.copyOfRange(kept, 0, 4));
            assertArrayEquals(Arrays.copyOfRange(sent, 6, Math.min(sent.length, kept.length)), Arrays.copyOfRange(kept, 6, kept.length),
                    "Pixel Data stored as received: " + name);
            if (sent.length > kept.length) {
                assertArrayEquals(new byte[] {(byte) 0xFC, (byte) 0xFF, (byte) 0xFC, (byte) 0xFF},
                        Arrays.copyOfRange(sent, kept.length, kept.length + 4), "only trailing padding may be missing");
            }
        } else {
            assertTrue(name.equals("MR_small.dcm") || name.contains("implicit") || name.contains("bigendian"),
                    "only uncompressed files may be converted by the sender: " + name + " " + transferSyntax(stored));
        }
        if (name.startsWith("MR_small") && !name.contains("jpeg_ls") && !name.contains("jp2k")) {
            float[] expected = new SeriesReader().read(List.of(PYDICOM.resolve("MR_small.dcm"))).volume().voxels();
            assertArrayEquals(expected, new SeriesReader().read(List.of(stored)).volume().voxels(), name);
        } else {
            SeriesReadException e = assertThrows(SeriesReadException.class, () -> new SeriesReader().read(List.of(stored)));
            assertEquals("TSR-0208", e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("JPEG"), e.getMessage());
        }
        assertEquals(0, ExternalTool.run(List.of("echoscu", "-aet", "SCU", "-aec", "TESSERA", "127.0.0.1",
                Integer.toString(listener.port())), java.util.Map.of(), 30).exitCode(), "server still answers");
    }
}
