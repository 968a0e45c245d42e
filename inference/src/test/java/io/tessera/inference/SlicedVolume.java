package io.tessera.inference;

import io.tessera.core.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * An in-memory volume seen as one left in its files ({@link Volume#onDemand}): it records which slices were opened
 * and how many are still open, fails to open slices from {@code failFrom} on as a changed file would, and refuses to
 * be read whole (segmentation must read slices only).
 */
final class SlicedVolume implements Volume.Source {
    private final Volume inMemory;
    private final int failFrom;
    private final Set<Integer> opened = new TreeSet<>();
    private int open;

    SlicedVolume(Volume inMemory, int failFrom) {
        this.inMemory = inMemory;
        this.failFrom = failFrom;
    }

    SlicedVolume(Volume inMemory) {
        this(inMemory, Integer.MAX_VALUE);
    }

    Volume volume() {
        return Volume.onDemand(inMemory.grid(), this);
    }

    synchronized Set<Integer> opened() {
        return new TreeSet<>(opened);
    }

    synchronized int stillOpen() {
        return open;
    }

    @Override
    public Volume.Slice slice(int k) {
        if (k >= failFrom) {
            throw new UncheckedIOException("TSR-0205: cannot read the pixel data of slice-" + k + ".dcm",
                    new IOException("its size changed since the series was read"));
        }
        synchronized (this) {
            opened.add(k);
            open++;
        }
        int base = k * inMemory.grid().nx() * inMemory.grid().ny();
        float[] voxels = inMemory.voxels();
        return new Volume.Slice() {
            @Override
            public float value(int p) {
                return voxels[base + p];
            }

            @Override
            public void close() {
                synchronized (SlicedVolume.this) {
                    open--;
                }
            }
        };
    }

    @Override
    public void readAll(float[] voxels) {
        throw new AssertionError("segmentation reads slices, not the whole volume");
    }
}
