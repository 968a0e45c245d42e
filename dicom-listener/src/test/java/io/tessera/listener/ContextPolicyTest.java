package io.tessera.listener;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.PresentationContext;
import org.junit.jupiter.api.Test;

import java.util.LinkedList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ContextPolicyTest {
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    private static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    private static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    private static PresentationContext proposed(int id, String sopClass, String... transferSyntaxes) {
        return new PresentationContext((byte) id, sopClass, new LinkedList<>(List.of(transferSyntaxes)));
    }

    @SuppressWarnings("unchecked")
    private static List<PresentationContext> decide(AcceptedContexts accepted, PresentationContext... proposed) {
        return new ContextPolicy(accepted).applyPresentationContextSelectionPolicy(new LinkedList<>(List.of(proposed)), 0);
    }

    @Test
    void by_default_any_storage_class_and_verification_are_accepted_and_others_get_result_3() {
        List<PresentationContext> d = decide(AcceptedContexts.defaults(),
                proposed(1, SOPClass.CTImageStorage, IMPLICIT_LE),
                proposed(3, SOPClass.SegmentationStorage, EXPLICIT_LE),
                proposed(5, AcceptedContexts.VERIFICATION, IMPLICIT_LE),
                proposed(7, SOPClass.StudyRootQueryRetrieveInformationModelFind, EXPLICIT_LE));
        assertEquals(List.of(0, 0, 0, 3), d.stream().map(pc -> (int) pc.getResultReason()).toList());
        assertEquals(List.of(1, 3, 5, 7), d.stream().map(pc -> (int) pc.getIdentifier()).toList());
        assertEquals(IMPLICIT_LE, d.get(0).getTransferSyntaxUID());
    }

    @Test
    void the_transfer_syntax_chosen_is_the_first_in_our_order_not_the_peers() {
        AcceptedContexts ours = new AcceptedContexts(true, Set.of(), List.of(JPEG_LS_LOSSLESS, EXPLICIT_LE, IMPLICIT_LE));
        PresentationContext pc = decide(ours, proposed(1, SOPClass.CTImageStorage, IMPLICIT_LE, EXPLICIT_LE, JPEG_LS_LOSSLESS)).get(0);
        assertEquals(0, pc.getResultReason());
        assertEquals(JPEG_LS_LOSSLESS, pc.getTransferSyntaxUID());
        pc = decide(ours, proposed(1, SOPClass.CTImageStorage, IMPLICIT_LE, EXPLICIT_LE)).get(0);
        assertEquals(EXPLICIT_LE, pc.getTransferSyntaxUID());
        assertEquals(EXPLICIT_LE, decide(AcceptedContexts.defaults(),
                proposed(1, SOPClass.CTImageStorage, IMPLICIT_LE, EXPLICIT_BE, EXPLICIT_LE)).get(0).getTransferSyntaxUID());
        // storescu's context for a big endian file: by default it is received as sent, not converted to implicit
        assertEquals(EXPLICIT_BE, decide(AcceptedContexts.defaults(),
                proposed(3, SOPClass.CTImageStorage, EXPLICIT_BE, IMPLICIT_LE)).get(0).getTransferSyntaxUID());
    }

    @Test
    void a_class_offered_only_in_transfer_syntaxes_we_do_not_take_gets_result_4() {
        AcceptedContexts explicitOnly = new AcceptedContexts(true, Set.of(), List.of(EXPLICIT_LE));
        List<PresentationContext> d = decide(explicitOnly,
                proposed(1, SOPClass.CTImageStorage, IMPLICIT_LE),
                proposed(3, SOPClass.CTImageStorage, JPEG_BASELINE, EXPLICIT_BE),
                proposed(5, SOPClass.CTImageStorage, IMPLICIT_LE, EXPLICIT_LE));
        assertEquals(List.of(4, 4, 0), d.stream().map(pc -> (int) pc.getResultReason()).toList());
        assertEquals(EXPLICIT_LE, d.get(2).getTransferSyntaxUID());
    }

    @Test
    void an_explicit_list_accepts_only_its_classes_and_result_3_wins_over_result_4() {
        AcceptedContexts ctOnly = new AcceptedContexts(false, Set.of(SOPClass.CTImageStorage), List.of(EXPLICIT_LE));
        List<PresentationContext> d = decide(ctOnly,
                proposed(1, SOPClass.CTImageStorage, EXPLICIT_LE),
                proposed(3, SOPClass.MRImageStorage, EXPLICIT_LE),
                proposed(5, AcceptedContexts.VERIFICATION, EXPLICIT_LE),
                proposed(7, SOPClass.MRImageStorage, IMPLICIT_LE));
        assertEquals(List.of(0, 3, 3, 3), d.stream().map(pc -> (int) pc.getResultReason()).toList());
    }

    @Test
    void a_private_class_can_be_accepted_by_uid() {
        String privateClass = "1.3.6.1.4.1.99999.1.1";
        AcceptedContexts ours = new AcceptedContexts(true, Set.of(privateClass), List.of(EXPLICIT_LE));
        assertEquals(0, decide(ours, proposed(1, privateClass, EXPLICIT_LE)).get(0).getResultReason());
        assertEquals(3, decide(AcceptedContexts.defaults(), proposed(1, privateClass, EXPLICIT_LE)).get(0).getResultReason());
    }

    @Test
    void the_association_answer_carries_each_result_and_only_accepted_contexts_carry_a_transfer_syntax() {
        AcceptedContexts explicitOnly = new AcceptedContexts(false, Set.of(SOPClass.CTImageStorage), List.of(EXPLICIT_LE));
        List<PresentationContext> d = decide(explicitOnly,
                proposed(1, SOPClass.CTImageStorage, EXPLICIT_LE),
                proposed(3, SOPClass.MRImageStorage, EXPLICIT_LE),
                proposed(5, SOPClass.CTImageStorage, IMPLICIT_LE));
        assertEquals(EXPLICIT_LE, d.get(0).getTransferSyntaxUID());
        assertNull(d.get(1).getTransferSyntaxUID());
        assertNull(d.get(2).getTransferSyntaxUID());
    }

    @Test
    void malformed_or_empty_settings_are_refused_with_a_code() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new AcceptedContexts(false, Set.of("1.2.840.10008.5.1.4.1.1.02"), List.of(EXPLICIT_LE)))
                .getMessage().startsWith("TSR-0114"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new AcceptedContexts(true, Set.of(), List.of("1.2.840..1")))
                .getMessage().startsWith("TSR-0114"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AcceptedContexts(true, Set.of(), List.of()))
                .getMessage().startsWith("TSR-0116"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AcceptedContexts(false, Set.of(), List.of(EXPLICIT_LE)))
                .getMessage().startsWith("TSR-0116"));
    }
}
