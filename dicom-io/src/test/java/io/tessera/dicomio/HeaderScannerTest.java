package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TransferSyntax;
import io.tessera.core.Uids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header scanner gives exactly the slice PixelMed's full parse gives, or nothing (and PixelMed reads the file):
 * on Tessera's own CT files in both uncompressed little-endian syntaxes, with nested undefined-length sequences before
 * the geometry, and on every file of Debian's pydicom test set that is present.
 */
class HeaderScannerTest {
    @TempDir Path dir;

    @Test
    void scans_the_same_slice_as_a_full_parse_in_both_little_endian_syntaxes_and_past_nested_sequences() throws Exception {
        List<Path> files = new CtSeriesWriter().write(Fixtures.ct(Fixtures.obliqueGrid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("hs1")), dir.resolve("explicit"));
        Path implicit = rewrite(files.get(1), dir.resolve("implicit.dcm"), TransferSyntax.ImplicitVRLittleEndian, false);
        Path nestedExplicit = rewrite(files.get(2), dir.resolve("nested-e.dcm"), TransferSyntax.ExplicitVRLittleEndian, true);
        Path nestedImplicit = rewrite(files.get(3), dir.resolve("nested-i.dcm"), TransferSyntax.ImplicitVRLittleEndian, true);
        for (Path f : List.of(files.get(0), implicit, nestedExplicit, nestedImplicit)) {
            SliceHeader scanned = scanned(f);
            assertNotNull(scanned, f.getFileName() + " is the common case");
            assertSame(parsed(f), scanned, f.getFileName().toString());
            assertEquals(pixelOffset(f), HeaderReader.scan(f).pixelOffset(), f.getFileName() + ": pixel data where PixelMed finds it");
            assertTrue(HeaderReader.scan(f).pixelOffset() > 0);
        }
    }

    @Test
    void every_pydicom_test_file_scans_to_the_full_parse_or_is_left_to_pixelmed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(SeriesReaderTransferSyntaxTest.PYDICOM),
                "python3-pydicom test files not installed (scripts/bootstrap.sh)");
        List<Path> all;
        try (Stream<Path> s = Files.list(SeriesReaderTransferSyntaxTest.PYDICOM)) {
            all = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        int scannedCount = 0;
        List<String> left = new ArrayList<>();
        for (Path f : all) {
            SliceHeader scanned = scanned(f);
            if (scanned == null) {
                left.add(f.getFileName().toString());
                continue;
            }
            scannedCount++;
            assertSame(parsed(f), scanned, f.getFileName().toString());
            assertEquals(pixelOffset(f), HeaderReader.scan(f).pixelOffset(), f.getFileName().toString());
        }
        assertTrue(scannedCount >= 2, "scanned " + scannedCount + ", left to PixelMed: " + left);
        assertTrue(left.contains("MR_small_bigendian.dcm") && left.contains("JPEG2000.dcm"), "other syntaxes go to PixelMed: " + left);
    }

    @Test
    void truncated_or_foreign_bytes_give_nothing() throws Exception {
        Path f = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("hs2")),
                dir).get(0);
        byte[] b = Files.readAllBytes(f);
        for (int n : new int[] {0, 100, 131, 200, 400, 700}) assertNull(HeaderScanner.scan(b, n), "cut at " + n);
        byte[] junk = new byte[4096];
        new java.util.Random(1).nextBytes(junk);
        assertNull(HeaderScanner.scan(junk, junk.length));
        System.arraycopy("DICM".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, junk, 128, 4);
        assertNull(HeaderScanner.scan(junk, junk.length));
    }

    private static SliceHeader scanned(Path f) throws Exception {
        byte[] b = Files.readAllBytes(f);
        int n = Math.min(b.length, HeaderReader.FIRST_READ);
        HeaderScanner.Scan s = HeaderScanner.scan(b, n);
        return s == null ? null : SliceHeader.of(f, s);
    }

    private static SliceHeader parsed(Path f) throws Exception {
        return SliceHeader.of(f, SeriesReader.readHeaderFromFile(f));
    }

    private static long pixelOffset(Path f) throws Exception {
        AttributeList l = SeriesReader.readHeaderFromFile(f);
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            return RawPixelReader.pixelOffset(ch, Dcm.get(l, "TransferSyntaxUID"), Integer.parseInt(Dcm.get(l, "Rows")),
                    Integer.parseInt(Dcm.get(l, "Columns")));
        }
    }

    private static void assertSame(SliceHeader expected, SliceHeader actual, String what) {
        assertEquals(expected.file(), actual.file(), what);
        assertEquals(expected.sopClassUid(), actual.sopClassUid(), what);
        assertEquals(expected.sopInstanceUid(), actual.sopInstanceUid(), what);
        assertEquals(expected.seriesInstanceUid(), actual.seriesInstanceUid(), what);
        assertEquals(expected.ippString(), actual.ippString(), what);
        assertArrayEquals(expected.ipp(), actual.ipp(), what);
        assertArrayEquals(expected.iop(), actual.iop(), what);
        assertEquals(expected.rows(), actual.rows(), what);
        assertEquals(expected.columns(), actual.columns(), what);
        assertArrayEquals(expected.pixelSpacing(), actual.pixelSpacing(), what);
        assertEquals(expected.numberOfFrames(), actual.numberOfFrames(), what);
        assertEquals(expected.transferSyntax(), actual.transferSyntax(), what);
        assertEquals(expected.bitsAllocated(), actual.bitsAllocated(), what);
        assertEquals(expected.bitsStored(), actual.bitsStored(), what);
        assertEquals(expected.signed(), actual.signed(), what);
        assertEquals(expected.slope(), actual.slope(), what);
        assertEquals(expected.intercept(), actual.intercept(), what);
        assertEquals(expected.frame(), actual.frame(), what);
    }

    /**
     * Rewrites the file in the given syntax, optionally with two sequences (one nested in the other) placed before the
     * geometry: PixelMed writes sequences and items with undefined lengths.
     */
    private static Path rewrite(Path from, Path to, String syntax, boolean nested) throws Exception {
        AttributeList l = new AttributeList();
        l.read(from.toFile());
        if (nested) {
            SequenceAttribute outer = Dcm.seq(l, "ReferencedStudySequence"); // (0008,1110): before (0020,0032)
            AttributeList item = Dcm.item(outer);
            Dcm.put(item, "ReferencedSOPClassUID", "1.2.840.10008.3.1.2.3.1");
            Dcm.put(item, "ReferencedSOPInstanceUID", "1.2.3.4");
            SequenceAttribute inner = Dcm.seq(item, "PurposeOfReferenceCodeSequence");
            Dcm.put(Dcm.item(inner), "CodeValue", "121311");
            Dcm.item(outer); // an empty item too
            l.put(new SequenceAttribute(new AttributeTag(0x0008, 0x1111))); // an empty sequence
        }
        l.removeMetaInformationHeaderAttributes();
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(l, syntax, "TESSERA");
        l.write(to.toFile(), syntax, true, true);
        return to;
    }
}
