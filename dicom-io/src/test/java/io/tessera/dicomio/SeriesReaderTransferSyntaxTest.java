package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.core.SourceSeries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Real files in many transfer syntaxes (Debian {@code python3-pydicom}'s test files, read in place, never committed):
 * every syntax with a codec decodes to exactly the pixels of the uncompressed original; the others are refused with
 * TSR-0208 naming the syntax.
 */
class SeriesReaderTransferSyntaxTest {
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static float[] original;

    @BeforeAll
    static void readUncompressedOriginal() throws Exception {
        assumeTrue(Files.isDirectory(PYDICOM), "python3-pydicom test files not installed (scripts/bootstrap.sh)");
        original = read("MR_small.dcm").volume().voxels();
    }

    private static SourceSeries read(String name) throws SeriesReadException {
        return new SeriesReader().read(List.of(PYDICOM.resolve(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm",
            "MR_small_padded.dcm"})
    void decodes_every_syntax_with_a_codec_to_the_original_pixels(String name) throws Exception {
        assertArrayEquals(original, read(name).volume().voxels(), name);
    }

    @Test
    void decoded_original_matches_pydicoms_decoding() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")));
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import pydicom,numpy;"
                + "a=pydicom.dcmread('" + PYDICOM.resolve("MR_small.dcm") + "').pixel_array.astype(numpy.int64);"
                + "print(int(a.sum()), int(a.min()), int(a.max()))").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assumeTrue(p.exitValue() == 0, "pydicom cannot run here: " + out);
        double sum = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (float v : original) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(out, (long) sum + " " + (long) min + " " + (long) max);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small_jpeg_ls_lossless.dcm:JPEG-LS Lossless (1.2.840.10008.1.2.4.80)",
            "MR_small_jp2klossless.dcm:JPEG 2000 Lossless (1.2.840.10008.1.2.4.90)"})
    void refuses_a_syntax_without_a_codec_naming_it(String caseSpec) {
        String name = caseSpec.substring(0, caseSpec.indexOf(':'));
        String syntax = caseSpec.substring(caseSpec.indexOf(':') + 1);
        assumeTrue(!PixelDecoders.canDecode(syntax.substring(syntax.indexOf('(') + 1, syntax.length() - 1)),
                "a codec for " + syntax + " is installed");
        SeriesReadException e = assertThrows(SeriesReadException.class, () -> read(name));
        assertEquals("TSR-0208", e.code());
        assertTrue(e.getMessage().contains(syntax), e.getMessage());
    }

    @Test
    void refuses_an_unknown_transfer_syntax_by_uid() {
        assertTrue(PixelDecoders.undecodable("x.dcm", "1.2.3.4", null).getMessage()
                .contains("unknown transfer syntax (1.2.3.4)"));
        assertTrue(!PixelDecoders.canDecode("1.2.3.4"));
        assertTrue(PixelDecoders.canDecode(""), "no transfer syntax means implicit VR little endian");
    }
}
