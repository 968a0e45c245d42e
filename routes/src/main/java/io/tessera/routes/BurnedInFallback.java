package io.tessera.routes;

import io.tessera.core.Segmentation;
import io.tessera.dicomio.BurnedInWriter;
import io.tessera.dicomio.SegSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The burned-in Secondary Capture series of one SEG, written into {@code <results>/<study>/sc-<SEG SOP UID>/} the
 * first time a destination with {@code burnedInFallback} asks for it, and only then (it costs a full-resolution RGB
 * copy of every slice with a segment).
 */
final class BurnedInFallback implements ResultEnqueuer.FallbackSeries {
    private final Segmentation seg;
    private final SegSpec spec;
    private final Path dir;
    private List<Instance> written;

    private BurnedInFallback(Segmentation seg, SegSpec spec, Path dir) {
        this.seg = seg;
        this.spec = spec;
        this.dir = dir;
    }

    static BurnedInFallback lazy(Segmentation seg, SegSpec spec, Path resultsDir) {
        return new BurnedInFallback(seg, spec, resultsDir.resolve("sc-" + spec.sopInstanceUid()));
    }

    @Override
    public List<Instance> files() throws IOException {
        if (written == null) {
            written = new BurnedInWriter().write(seg, spec, dir).stream()
                    .map(i -> new Instance(i.sopInstanceUid(), i.file())).toList();
        }
        return written;
    }
}
