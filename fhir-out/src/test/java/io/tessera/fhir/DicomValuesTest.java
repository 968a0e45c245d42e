package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.Test;

class DicomValuesTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void malformed_dates_and_times_are_left_out_rather_than_thrown() {
        assertTrue(DicomValues.dateTime("2024131", "1015", UTC).isEmpty());
        assertTrue(DicomValues.dateTime("20240230", "1015", UTC).isEmpty());
        assertTrue(DicomValues.birthDate("unknown").isEmpty());
        assertEquals("2024-03-15", DicomValues.dateTime("20240315", "25", UTC).orElseThrow().getValueAsString());
    }

    @Test
    void study_time_gets_the_site_zone_and_old_style_values_are_read() {
        assertEquals("2024-03-15T10:15:00+00:00", DicomValues.dateTime("2024.03.15", "10:15", UTC).orElseThrow().getValueAsString());
        assertEquals("2024-07-01T23:59:59-04:00",
                DicomValues.dateTime("20240701", "235959.999999", ZoneId.of("America/New_York")).orElseThrow()
                        .getValueAsString());
    }

    @Test
    void person_names_use_the_alphabetic_group_only() {
        var n = DicomValues.name("Yamada^Tarou=山田^太郎").orElseThrow();
        assertEquals("Yamada", n.getFamily());
        assertEquals("Tarou Yamada", n.getText());
        assertTrue(DicomValues.name("^^^").isEmpty());
    }

    @Test
    void sex_codes_map_to_administrative_gender() {
        assertEquals(AdministrativeGender.MALE, DicomValues.gender("M").orElseThrow());
        assertEquals(AdministrativeGender.OTHER, DicomValues.gender("O").orElseThrow());
        assertEquals(AdministrativeGender.UNKNOWN, DicomValues.gender("X").orElseThrow());
        assertTrue(DicomValues.gender("").isEmpty());
    }
}
