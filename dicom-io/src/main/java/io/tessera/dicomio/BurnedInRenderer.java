package io.tessera.dicomio;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Volume;
import java.util.List;

/**
 * Renders one slice for the burned-in fallback: the source slice windowed to 8-bit grey, each segment's outline
 * (label voxels with a 4-neighbour of another label or the image edge) in the segment's colour, and a banner on a
 * black strip at the top in yellow. Interleaved RGB, row by row (PlanarConfiguration 0). Pure, deterministic.
 */
final class BurnedInRenderer {
    static final int[] BANNER_RGB = {255, 255, 0};
    private final double windowCenter;
    private final double windowWidth;

    BurnedInRenderer(double windowCenter, double windowWidth) {
        if (windowWidth < 1) throw new IllegalArgumentException("window width must be at least 1");
        this.windowCenter = windowCenter;
        this.windowWidth = windowWidth;
    }

    /** Font scale for an image {@code columns} wide: 1 up to 255 columns, then one more per 256. */
    static int scale(int columns) {
        return Math.max(1, columns / 256);
    }

    /** Height in pixels of the banner strip that {@link #render} draws for these lines. */
    static int bannerHeight(int lines, int scale) {
        return (lines * (BannerFont.HEIGHT + 2) + 2) * scale;
    }

    byte[] render(Volume volume, LabelMap labels, List<SegmentLabel> segments, int k, List<String> banner) {
        Grid g = volume.grid();
        int nx = g.nx();
        int ny = g.ny();
        byte[] rgb = new byte[nx * ny * 3];
        double low = windowCenter - 0.5 - (windowWidth - 1) / 2;
        double high = windowCenter - 0.5 + (windowWidth - 1) / 2;
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                double v = volume.get(i, j, k);
                int grey = v <= low ? 0 : v > high ? 255 : (int) Math.round(((v - (windowCenter - 0.5)) / (windowWidth - 1) + 0.5) * 255);
                set(rgb, nx, i, j, grey, grey, grey);
            }
        }
        int[][] colour = new int[256][];
        for (SegmentLabel s : segments) colour[s.value()] = s.rgb();
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int v = labels.get(i, j, k);
                if (v == 0 || colour[v] == null || !edge(labels, i, j, k, v)) continue;
                set(rgb, nx, i, j, colour[v][0], colour[v][1], colour[v][2]);
            }
        }
        drawBanner(rgb, nx, ny, banner);
        return rgb;
    }

    /** True if any slice of {@code labels} at {@code k} holds a label of {@code segments}. */
    static boolean hasSegment(LabelMap labels, List<SegmentLabel> segments, int k) {
        boolean[] known = new boolean[256];
        for (SegmentLabel s : segments) known[s.value()] = true;
        Grid g = labels.grid();
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                if (known[labels.get(i, j, k)]) return true;
            }
        }
        return false;
    }

    static boolean edge(LabelMap labels, int i, int j, int k, int v) {
        Grid g = labels.grid();
        if (i == 0 || j == 0 || i == g.nx() - 1 || j == g.ny() - 1) return true;
        return labels.get(i - 1, j, k) != v || labels.get(i + 1, j, k) != v || labels.get(i, j - 1, k) != v
                || labels.get(i, j + 1, k) != v;
    }

    private static void drawBanner(byte[] rgb, int nx, int ny, List<String> lines) {
        int scale = scale(nx);
        int height = Math.min(ny, bannerHeight(lines.size(), scale));
        for (int j = 0; j < height; j++) {
            for (int i = 0; i < nx; i++) set(rgb, nx, i, j, 0, 0, 0);
        }
        for (int line = 0; line < lines.size(); line++) {
            String text = lines.get(line);
            int top = (line * (BannerFont.HEIGHT + 2) + 2) * scale;
            int left = Math.max(0, (nx - text.length() * BannerFont.ADVANCE * scale) / 2);
            for (int c = 0; c < text.length(); c++) {
                for (int y = 0; y < BannerFont.HEIGHT; y++) {
                    for (int x = 0; x < BannerFont.WIDTH; x++) {
                        if (!BannerFont.on(text.charAt(c), x, y)) continue;
                        for (int dy = 0; dy < scale; dy++) {
                            for (int dx = 0; dx < scale; dx++) {
                                int px = left + (c * BannerFont.ADVANCE + x) * scale + dx;
                                int py = top + y * scale + dy;
                                if (px < nx && py < ny) set(rgb, nx, px, py, BANNER_RGB[0], BANNER_RGB[1], BANNER_RGB[2]);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void set(byte[] rgb, int nx, int i, int j, int r, int g, int b) {
        int o = (j * nx + i) * 3;
        rgb[o] = (byte) r;
        rgb[o + 1] = (byte) g;
        rgb[o + 2] = (byte) b;
    }
}
