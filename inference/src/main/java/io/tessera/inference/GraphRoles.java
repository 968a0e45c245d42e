package io.tessera.inference;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX files a multi-file task needs, by role, and the tensor slots each role's graph offers: {@code inputs} and
 * {@code outputs} map a role to its slot names; an {@code optional} input slot is fed only when the manifest maps it
 * (a text encoder without token type ids, for instance).
 */
record GraphRoles(String task, List<String> roles, Map<String, List<String>> inputs, Map<String, List<String>> outputs,
                  Set<String> optional) {}
