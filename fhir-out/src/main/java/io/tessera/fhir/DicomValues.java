package io.tessera.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;

/** DICOM header strings (DA, TM, PN, CS) made into FHIR datatypes; malformed values give empty, never an exception. */
final class DicomValues {
    private DicomValues() {}

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static Optional<LocalDate> date(String da) {
        if (blank(da)) return Optional.empty();
        String d = da.trim().replace(".", ""); // ACR-NEMA style YYYY.MM.DD
        if (d.length() != 8 || !d.chars().allMatch(Character::isDigit)) return Optional.empty();
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4, 6)),
                    Integer.parseInt(d.substring(6, 8))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** TM {@code HH[MM[SS[.F]]]} (or the old {@code HH:MM:SS}); seconds fraction dropped. */
    static Optional<LocalTime> time(String tm) {
        if (blank(tm)) return Optional.empty();
        String t = tm.trim().replace(":", "");
        int dot = t.indexOf('.');
        if (dot >= 0) t = t.substring(0, dot);
        if (t.length() < 2 || t.length() > 6 || t.length() % 2 != 0 || !t.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        try {
            int h = Integer.parseInt(t.substring(0, 2));
            int m = t.length() >= 4 ? Integer.parseInt(t.substring(2, 4)) : 0;
            int s = t.length() >= 6 ? Math.min(59, Integer.parseInt(t.substring(4, 6))) : 0; // DICOM allows leap second 60
            return Optional.of(LocalTime.of(h, m, s));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Study date and time as a FHIR dateTime. DICOM times carry no zone, and FHIR requires one with a time of day,
     * so the site's zone is applied; a date without a time stays a date.
     */
    static Optional<DateTimeType> dateTime(String da, String tm, ZoneId zone) {
        Optional<LocalDate> d = date(da);
        if (d.isEmpty()) return Optional.empty();
        Optional<LocalTime> t = time(tm);
        if (t.isEmpty()) {
            LocalDate ld = d.get();
            return Optional.of(new DateTimeType(ld.toString()));
        }
        LocalDateTime ldt = LocalDateTime.of(d.get(), t.get());
        DateTimeType dt = new DateTimeType(Date.from(ldt.atZone(zone).toInstant()), TemporalPrecisionEnum.SECOND,
                java.util.TimeZone.getTimeZone(zone));
        return Optional.of(dt);
    }

    static Optional<DateType> birthDate(String da) {
        return date(da).map(d -> new DateType(d.toString()));
    }

    static Optional<AdministrativeGender> gender(String cs) {
        if (blank(cs)) return Optional.empty();
        return Optional.of(switch (cs.trim().toUpperCase()) {
            case "M" -> AdministrativeGender.MALE;
            case "F" -> AdministrativeGender.FEMALE;
            case "O" -> AdministrativeGender.OTHER;
            default -> AdministrativeGender.UNKNOWN;
        });
    }

    /** PN {@code Family^Given^Middle^Prefix^Suffix}; only the alphabetic group (before any {@code =}) is used. */
    static Optional<HumanName> name(String pn) {
        if (blank(pn)) return Optional.empty();
        String alphabetic = pn.split("=", -1)[0];
        String[] c = alphabetic.split("\\^", -1);
        HumanName n = new HumanName().setUse(HumanName.NameUse.OFFICIAL);
        if (c.length > 0 && !c[0].isBlank()) n.setFamily(c[0].trim());
        if (c.length > 1 && !c[1].isBlank()) n.addGiven(c[1].trim());
        if (c.length > 2 && !c[2].isBlank()) n.addGiven(c[2].trim());
        if (c.length > 3 && !c[3].isBlank()) n.addPrefix(c[3].trim());
        if (c.length > 4 && !c[4].isBlank()) n.addSuffix(c[4].trim());
        if (!n.hasFamily() && !n.hasGiven()) return Optional.empty();
        n.setText(String.join(" ", n.getGivenAsSingleString(), n.hasFamily() ? n.getFamily() : "").trim());
        return Optional.of(n);
    }

    static Optional<Integer> integer(String is) {
        if (blank(is)) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(is.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
