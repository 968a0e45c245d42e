package io.tessera.core;

/**
 * Who produced a result: model name and version, the SHA-256 of its ONNX file and the execution provider that ran it.
 * The Device UID in SEG Contributing Equipment and the FHIR Device identifier derive from name and version.
 */
public record ModelIdentity(String name, String version, String sha256, String provider) {
    public String displayName() {
        return name + " " + version;
    }
}
