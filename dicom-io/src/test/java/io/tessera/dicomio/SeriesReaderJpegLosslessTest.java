package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JPEG lossless (process 14, and its selection-value-1 variant) through PixelMed's ImageIO reader: files compressed
 * at test time by dcmtk's {@code dcmcjpeg} from an uncompressed original decode to exactly the original's voxels.
 * (pydicom's test files hold no JPEG lossless image, and its own decoding of the original is checked in
 * {@link SeriesReaderTransferSyntaxTest}.)
 */
class SeriesReaderJpegLosslessTest {
    @TempDir Path dir;

    @Test
    void jpeg_lossless_is_reported_decodable_with_the_pixelmed_reader_on_the_class_path() {
        assertTrue(PixelDecoders.canDecode("1.2.840.10008.1.2.4.70"));
        assertTrue(PixelDecoders.canDecode("1.2.840.10008.1.2.4.57"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"+e1, 1.2.840.10008.1.2.4.70", "+el, 1.2.840.10008.1.2.4.57"})
    void a_signed_16_bit_mr_slice_decodes_to_the_original_pixels(String mode, String syntax) throws Exception {
        Path original = SeriesReaderTransferSyntaxTest.PYDICOM.resolve("MR_small.dcm");
        assumeTrue(Files.exists(original), "python3-pydicom test files not installed");
        Path compressed = compress(original, dir.resolve("mr.dcm"), mode);
        assertEquals(syntax, DicomHeaders.read(compressed).get("TransferSyntaxUID"));

        SourceSeries expected = new SeriesReader().read(List.of(original));
        SourceSeries actual = new SeriesReader().read(List.of(compressed));

        org.junit.jupiter.api.Assertions.assertNull(actual.volume().source(), "compressed: decoded in full when read");
        assertArrayEquals(expected.volume().voxels(), actual.volume().voxels());
    }

    @Test
    void a_ct_series_compressed_slice_by_slice_decodes_to_the_same_volume() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("jpeg-ll")), dir.resolve("ct"));
        List<Path> compressed = new ArrayList<>();
        for (Path f : ct) compressed.add(compress(f, dir.resolve("ll").resolve(f.getFileName()), "+e1"));

        SourceSeries expected = new SeriesReader().read(ct);
        SourceSeries actual = new SeriesReader().read(compressed);

        assertEquals(expected.volume().grid(), actual.volume().grid());
        assertArrayEquals(expected.volume().voxels(), actual.volume().voxels());
    }

    private static Path compress(Path in, Path out, String mode) throws Exception {
        Files.createDirectories(out.getParent());
        Process p;
        try {
            p = new ProcessBuilder("dcmcjpeg", mode, in.toString(), out.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "dcmtk dcmcjpeg not installed");
            throw e;
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, () -> "dcmcjpeg failed: " + log);
        return out;
    }
}
