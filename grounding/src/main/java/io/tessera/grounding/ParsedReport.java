package io.tessera.grounding;

import io.tessera.core.Assertion;
import java.util.List;

/**
 * The findings of one report, numbered from 1 in reading order, and the sentences that held a finding term but were
 * set aside (history, indication) with the reason.
 */
public record ParsedReport(List<ParsedFinding> findings, List<String> setAside) {
    public ParsedReport {
        findings = List.copyOf(findings);
        setAside = List.copyOf(setAside);
    }

    public List<ParsedFinding> with(Assertion assertion) {
        return findings.stream().filter(f -> f.finding().assertion() == assertion).toList();
    }
}
