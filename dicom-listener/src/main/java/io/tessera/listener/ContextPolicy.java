package io.tessera.listener;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;

import java.util.LinkedList;
import java.util.List;

/**
 * Answers each proposed presentation context from {@link AcceptedContexts} (PS3.8 §9.3.3.2): a SOP class not accepted
 * gets result 3 (abstract-syntax-not-supported), an accepted one none of whose proposed transfer syntaxes is
 * accepted gets 4 (transfer-syntaxes-not-supported), otherwise 0 with the proposed transfer syntax that comes first in
 * our order of preference. The association is accepted whatever the contexts' results; a peer left without any
 * accepted context sees every one of them refused and gives up itself.
 */
final class ContextPolicy implements PresentationContextSelectionPolicy {
    static final byte ACCEPTANCE = 0;
    static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    private final AcceptedContexts accepted;

    ContextPolicy(AcceptedContexts accepted) {
        this.accepted = accepted;
    }

    boolean acceptsSopClass(String uid) {
        return accepted.sopClasses().contains(uid) || (accepted.allStorage() && SOPClass.isStorage(uid));
    }

    /** The accepted transfer syntax for these proposed ones, or null. */
    String choose(List<?> proposed) {
        for (String ours : accepted.transferSyntaxes()) {
            if (proposed.contains(ours)) {
                return ours;
            }
        }
        return null;
    }

    PresentationContext decide(PresentationContext proposed) {
        String abstractSyntax = proposed.getAbstractSyntaxUID();
        if (!acceptsSopClass(abstractSyntax)) {
            return new PresentationContext(proposed.getIdentifier(), ABSTRACT_SYNTAX_NOT_SUPPORTED, abstractSyntax, (String) null);
        }
        String ts = choose(proposed.getTransferSyntaxUIDs());
        return ts == null
                ? new PresentationContext(proposed.getIdentifier(), TRANSFER_SYNTAXES_NOT_SUPPORTED, abstractSyntax, (String) null)
                : new PresentationContext(proposed.getIdentifier(), ACCEPTANCE, abstractSyntax, ts);
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList presentationContexts, int debugLevel) {
        LinkedList<PresentationContext> decided = new LinkedList<>();
        for (Object o : presentationContexts) {
            decided.add(decide((PresentationContext) o));
        }
        return decided;
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList presentationContexts, int associationNumber,
                                                             int debugLevel) {
        return applyPresentationContextSelectionPolicy(presentationContexts, debugLevel);
    }
}
