package io.tessera.testkit.phantom;

import io.tessera.core.LabelMap;
import io.tessera.core.Volume;

/**
 * A phantom sampled on the frames of a {@link PhantomAcquisition}, in the acquisition's frame order.
 *
 * @param ct     Hounsfield units; frame k is slice k. The grid carries the frames' plane, the first frame's position and
 *               the mean gap: for uneven or tilted frames only {@code acquisition.positions()} is exact
 * @param organs organ truth at each pixel centre (labels as in {@link Phantom#organs()})
 */
public record AcquiredPhantom(PhantomSpec spec, PhantomAcquisition acquisition, Volume ct, LabelMap organs) {}
