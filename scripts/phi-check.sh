#!/usr/bin/env bash
# phi-check.sh LOG...: fails when a test patient's name or a PHI marker appears in the given logs (the suite's console
# output, test reports). The tests' patients are named Phantom^Seed<N> (testkit phantoms), Doe^John / Doe^Jane
# (HL7 messages) and ZZMARKER^PHITEST (the PHI marker); none of them may reach a log line, whoever writes it.
set -euo pipefail
pattern='Phantom\^Seed|Doe\^John|Doe\^Jane|ZZMARKER|PHITEST'
found=0
for log in "$@"; do
  [ -f "$log" ] || continue
  if grep -E -n "$pattern" "$log" | head -5 | sed "s|^|phi-check: $log:|" | grep .; then found=1; fi
done
if [ "$found" -ne 0 ]; then
  echo "phi-check: a test patient's name reached a log (above); logs must carry no patient data" >&2
  exit 1
fi
echo "phi-check: no test patient's name in $# log(s)"
