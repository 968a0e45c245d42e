package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.SourceSeries;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A key image of a SEG: the source slice with the most segmented voxels, windowed for its modality (CT: soft tissue,
 * centre 40 HU, width 400; anything else: the slice's own 1st to 99th percentile), with each segment's outline drawn
 * in the SEG's Recommended Display CIELab colour. Enlarged by a whole factor to at least {@value #MIN_SIZE} pixels, so
 * that one source pixel is a square of {@link KeyImage#scale()} image pixels and a reader can find a voxel in it.
 */
public final class KeyImageRenderer {
    static final int MIN_SIZE = 512;
    private static final int[][] FALLBACK = {{255, 64, 64}, {255, 200, 0}, {0, 200, 255}, {255, 0, 200}, {120, 255, 0}};

    /** The picture, the slice it shows, the enlargement and the colour drawn for each segment number. */
    public record KeyImage(BufferedImage image, int slice, int scale, Map<Integer, int[]> colours) {
        public void writePng(OutputStream out) throws IOException {
            ImageIO.write(image, "png", out);
        }
    }

    private KeyImageRenderer() {}

    /** Renders {@code segFile} over the series read from {@code sourceFiles}. */
    public static KeyImage render(List<Path> sourceFiles, Path segFile) throws IOException, SeriesReadException {
        SourceSeries source = new SeriesReader().read(sourceFiles);
        LabelMap labels = new SegReader().readOnto(segFile, source);
        return render(source, labels, segmentColours(segFile));
    }

    static KeyImage render(SourceSeries source, LabelMap labels, Map<Integer, int[]> colours) {
        Grid g = source.volume().grid();
        int k = busiestSlice(labels);
        float[] voxels = source.volume().voxels();
        int plane = g.nx() * g.ny();
        double[] window = window(source.modality(), voxels, k * plane, plane);
        int scale = Math.max(1, (MIN_SIZE + Math.max(g.nx(), g.ny()) - 1) / Math.max(g.nx(), g.ny()));
        BufferedImage img = new BufferedImage(g.nx() * scale, g.ny() * scale, BufferedImage.TYPE_INT_RGB);
        byte[] l = labels.labels();
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                int p = k * plane + j * g.nx() + i;
                int rgb;
                int label = l[p] & 0xff;
                if (label != 0 && edge(l, g, i, j, k)) {
                    int[] c = colours.getOrDefault(label, FALLBACK[(label - 1) % FALLBACK.length]);
                    rgb = c[0] << 16 | c[1] << 8 | c[2];
                } else {
                    double v = (voxels[p] - (window[0] - window[1] / 2)) / window[1];
                    int grey = (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
                    rgb = grey << 16 | grey << 8 | grey;
                }
                for (int y = 0; y < scale; y++) for (int x = 0; x < scale; x++) img.setRGB(i * scale + x, j * scale + y, rgb);
            }
        }
        return new KeyImage(img, k, scale, colours);
    }

    /** The slice with the most segmented voxels (the middle one when nothing is segmented). */
    static int busiestSlice(LabelMap labels) {
        Grid g = labels.grid();
        int plane = g.nx() * g.ny();
        int best = g.nz() / 2;
        long most = 0;
        for (int k = 0; k < g.nz(); k++) {
            long n = 0;
            for (int p = k * plane; p < (k + 1) * plane; p++) if (labels.labels()[p] != 0) n++;
            if (n > most) {
                most = n;
                best = k;
            }
        }
        return best;
    }

    /** A voxel on its segment's border in the slice: a 4-neighbour is another label or outside the image. */
    public static boolean edge(byte[] l, Grid g, int i, int j, int k) {
        int plane = g.nx() * g.ny();
        int p = k * plane + j * g.nx() + i;
        byte v = l[p];
        return i == 0 || j == 0 || i == g.nx() - 1 || j == g.ny() - 1
                || l[p - 1] != v || l[p + 1] != v || l[p - g.nx()] != v || l[p + g.nx()] != v;
    }

    /** {centre, width}: CT soft tissue; else the slice's 1st to 99th percentile. */
    static double[] window(String modality, float[] voxels, int from, int n) {
        if ("CT".equals(modality)) return new double[] {40, 400};
        float[] s = Arrays.copyOfRange(voxels, from, from + n);
        Arrays.sort(s);
        double lo = s[(int) (0.01 * (n - 1))], hi = s[(int) (0.99 * (n - 1))];
        double width = Math.max(1, hi - lo);
        return new double[] {lo + width / 2, width};
    }

    /** Segment number → sRGB of its Recommended Display CIELab Value (segments without one are absent). */
    public static Map<Integer, int[]> segmentColours(Path segFile) throws IOException {
        AttributeList l = new AttributeList();
        try {
            l.read(segFile.toFile(), Dcm.tag("PixelData"));
        } catch (DicomException | RuntimeException e) {
            throw new IOException("TSR-0254: cannot read the SEG " + segFile.getFileName() + ": " + e.getMessage(), e);
        }
        Map<Integer, int[]> out = new LinkedHashMap<>();
        SequenceAttribute seq = Dcm.getSeq(l, "SegmentSequence");
        if (seq == null) return out;
        for (int i = 0; i < seq.getNumberOfItems(); i++) {
            AttributeList s = seq.getItem(i).getAttributeList();
            String lab = Dcm.get(s, "RecommendedDisplayCIELabValue");
            if (lab.isEmpty()) continue;
            String[] v = lab.split("\\\\");
            if (v.length != 3) continue;
            out.put(Integer.parseInt(Dcm.get(s, "SegmentNumber").trim()), CieLab.toRgb(new int[] {
                    Integer.parseInt(v[0].trim()), Integer.parseInt(v[1].trim()), Integer.parseInt(v[2].trim())}));
        }
        return out;
    }
}
