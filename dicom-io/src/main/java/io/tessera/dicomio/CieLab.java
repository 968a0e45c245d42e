package io.tessera.dicomio;

/** sRGB (0..255) to DICOM-scaled CIELab (D65), as Recommended Display CIELab Value wants (PS3.3 C.10.7.1.1). */
final class CieLab {
    private CieLab() {}

    static int[] fromRgb(int[] rgb) {
        double r = lin(rgb[0] / 255.0), g = lin(rgb[1] / 255.0), b = lin(rgb[2] / 255.0);
        double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
        double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        double l = 116 * fy - 16, a = 500 * (fx - fy), bb = 200 * (fy - fz);
        return new int[] {scale(l / 100.0), scale((a + 128) / 255.0), scale((bb + 128) / 255.0)};
    }

    private static int scale(double unit) {
        return (int) Math.round(Math.max(0, Math.min(1, unit)) * 65535);
    }

    private static double lin(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    /** DICOM-scaled CIELab back to sRGB (0..255): what a viewer shows for a Recommended Display CIELab Value. */
    static int[] toRgb(int[] lab) {
        double l = lab[0] / 65535.0 * 100, a = lab[1] / 65535.0 * 255 - 128, bb = lab[2] / 65535.0 * 255 - 128;
        double fy = (l + 16) / 116, fx = fy + a / 500, fz = fy - bb / 200;
        double x = finv(fx) * 0.95047, y = finv(fy), z = finv(fz) * 1.08883;
        double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
        double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
        double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
        return new int[] {gamma(r), gamma(g), gamma(b)};
    }

    private static double finv(double t) {
        return t * t * t > 216.0 / 24389 ? t * t * t : (116 * t - 16) / (24389.0 / 27);
    }

    private static int gamma(double c) {
        double v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
