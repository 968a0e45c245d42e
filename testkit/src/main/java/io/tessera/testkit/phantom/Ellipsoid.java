package io.tessera.testkit.phantom;

/** Axis-aligned ellipsoid in patient mm; {@link #q} is the squared normalised radius (< 1 inside). */
record Ellipsoid(double cx, double cy, double cz, double ax, double ay, double az) {

    double q(double x, double y, double z) {
        double u = (x - cx) / ax, v = (y - cy) / ay, w = (z - cz) / az;
        return u * u + v * v + w * w;
    }

    boolean contains(double x, double y, double z) {
        return q(x, y, z) < 1.0;
    }

    double zMin() {
        return cz - az;
    }

    double zMax() {
        return cz + az;
    }
}
