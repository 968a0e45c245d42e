package io.tessera.core;

/** What the report asserts about a finding: present, explicitly absent ("no effusion"), or uncertain ("possible nodule"). */
public enum Assertion {
    PRESENT, ABSENT, UNCERTAIN
}
