package io.tessera.routes.reports;

/** Test ORU^R01 messages, segments ended by CR as on the wire. */
final class Oru {
    static final String STUDY_UID = "1.2.826.0.1.3680043.10.999.1";

    private Oru() {}

    /** A v2.5.1 ORU^R01 with the accession in OBR-3, a ZDS study UID, and the report in TX and FT OBX segments. */
    static String report(String controlId, String accession) {
        return String.join("\r",
                "MSH|^~\\&|RIS|HOSP|TESSERA|AI|20250101120000||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1",
                "PID|1||PID-123^^^HOSP||Doe^John||19600101|M",
                "ORC|RE|PL-9|" + accession,
                "OBR|1|PL-9|" + accession + "|71250^CT CHEST^CPT|||20250101110000|||||||||||||||20250101115900||CT|F",
                "ZDS|" + STUDY_UID + "^100^Application^DICOM",
                "OBX|1|TX|18782-3^Radiology Study observation^LN||8 mm nodule in the right lower lobe.~No pleural effusion.||||||F",
                "OBX|2|FT|19005-8^Impression^LN||Pulmonary nodule.\\.br\\Follow-up CT in 6 months.||||||F",
                "OBX|3|CE|59776-5^Finding^LN||RID3875^nodule^RADLEX||||||F") + "\r";
    }

    static String withMsh(String msh, String rest) {
        return msh + "\r" + rest;
    }
}
