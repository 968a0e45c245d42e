package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;

/** Copies one slice's stored values into the volume, applying Bits Stored, Pixel Representation and Rescale. */
final class PixelCopier {
    private PixelCopier() {}

    /** Fast path (raw little-endian 16-bit pixels read straight from the file); false when it does not apply. */
    static boolean copyRaw(SliceHeader s, float[] voxels, int offset) {
        if (s.bitsAllocated() != 16) return false;
        float[] values = Rescale.of(s.bitsStored(), s.signed(), s.slope(), s.intercept()).table();
        return RawPixelReader.tryConvert(s.file(), s.transferSyntax(), s.rows(), s.columns(), values, voxels, offset);
    }

    /**
     * Every 16-bit stored value mapped to its rescaled value (Bits Stored, Pixel Representation, slope, intercept),
     * made once per distinct rescale and shared: one table read per pixel instead of masking, sign handling and double
     * arithmetic, with the same float results.
     */
    record Rescale(int bitsStored, boolean signed, double slope, double intercept) {
        private static final java.util.Map<Rescale, float[]> TABLES = new java.util.concurrent.ConcurrentHashMap<>();

        static Rescale of(int bitsStored, boolean signed, double slope, double intercept) {
            return new Rescale(bitsStored, signed, slope, intercept);
        }

        float[] table() {
            if (TABLES.size() > 64) TABLES.clear(); // series rescale a handful of ways; never let odd ones pile up
            return TABLES.computeIfAbsent(this, Rescale::build);
        }

        private float[] build() {
            int mask = bitsStored >= 32 ? -1 : (1 << bitsStored) - 1;
            int signBit = 1 << (bitsStored - 1);
            float[] t = new float[1 << 16];
            for (int u = 0; u < t.length; u++) {
                int v = u & mask;
                if (signed && (v & signBit) != 0) v -= (1 << bitsStored);
                t[u] = (float) (v * slope + intercept);
            }
            return t;
        }
    }

    /**
     * Copies one frame starting at stored value {@code from} of the Pixel Data (0 for a single-frame instance); the
     * rescale is the slice's own (a multi-frame image carries it per frame in its functional groups).
     */
    static void copy(SliceHeader s, AttributeList l, float[] voxels, int offset, int from) throws SeriesReadException {
        String name = s.file().getFileName().toString();
        int n = s.rows() * s.columns();
        int bitsAllocated = intOr(l, "BitsAllocated", 16);
        int bitsStored = intOr(l, "BitsStored", bitsAllocated);
        boolean signed = intOr(l, "PixelRepresentation", 0) == 1;
        if (intOr(l, "SamplesPerPixel", 1) != 1) {
            throw new SeriesReadException("TSR-0206", "instance " + name + " is not greyscale (Samples per Pixel != 1)");
        }
        double slope = s.slope();
        double intercept = s.intercept();
        Attribute px = l.getPixelData();
        if (px == null) throw new SeriesReadException("TSR-0206", "instance " + name + " has no Pixel Data");
        int mask = bitsStored >= 32 ? -1 : (1 << bitsStored) - 1;
        int signBit = 1 << (bitsStored - 1);
        try {
            if (bitsAllocated == 16) {
                short[] raw = px.getShortValues();
                if (raw == null || raw.length < from + n) throw tooShort(name);
                for (int p = 0; p < n; p++) {
                    int v = raw[from + p] & mask;
                    if (signed && (v & signBit) != 0) v -= (1 << bitsStored);
                    voxels[offset + p] = (float) (v * slope + intercept);
                }
            } else if (bitsAllocated == 8) {
                byte[] raw = px.getByteValues();
                if (raw == null || raw.length < from + n) throw tooShort(name);
                for (int p = 0; p < n; p++) {
                    int v = signed ? raw[from + p] : raw[from + p] & 0xff;
                    voxels[offset + p] = (float) (v * slope + intercept);
                }
            } else {
                throw new SeriesReadException("TSR-0206", "instance " + name + " has Bits Allocated " + bitsAllocated
                        + "; only 8 and 16 are supported");
            }
        } catch (DicomException e) {
            throw new SeriesReadException("TSR-0206", "cannot decode Pixel Data of " + name + " (compressed transfer syntax?): "
                    + e.getMessage(), e);
        }
    }

    private static SeriesReadException tooShort(String name) {
        return new SeriesReadException("TSR-0206", "Pixel Data of " + name
                + " is shorter than Rows x Columns (compressed or truncated?)");
    }

    private static int intOr(AttributeList l, String kw, int dflt) {
        return Attribute.getSingleIntegerValueOrDefault(l, Dcm.tag(kw), dflt);
    }
}
