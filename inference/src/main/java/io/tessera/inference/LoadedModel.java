package io.tessera.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.core.ModelIdentity;

/** A validated package with its ONNX Runtime session, built once and shared by all threads. */
public final class LoadedModel implements AutoCloseable {
    private final ModelPackage modelPackage;
    private final OrtSession session;

    LoadedModel(ModelPackage modelPackage, OrtSession session) {
        this.modelPackage = modelPackage;
        this.session = session;
    }

    public String name() {
        return modelPackage.name();
    }

    public ModelPackage modelPackage() {
        return modelPackage;
    }

    public ModelManifest manifest() {
        return modelPackage.manifest();
    }

    public ModelIdentity identity() {
        return modelPackage.identity();
    }

    OrtSession session() {
        return session;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("TSR-0302: closing session of model " + name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LoadedModel[" + identity().displayName() + " on " + identity().provider() + "]";
    }
}
