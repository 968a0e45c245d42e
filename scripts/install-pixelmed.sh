#!/usr/bin/env bash
# Installs Debian's PixelMed jar into the local Maven repository as com.pixelmed:pixelmed:20220618.
# The manifest is stripped: its Class-Path would drag Debian's slf4j 1.7 and others onto our classpath.
set -euo pipefail
VERSION=20220618
SRC=/usr/share/java/pixelmed-${VERSION}.jar
REPO="${MAVEN_REPO:-$HOME/.m2/repository}"
DEST="$REPO/com/pixelmed/pixelmed/$VERSION/pixelmed-$VERSION.jar"
if [ -f "$DEST" ]; then exit 0; fi
[ -f "$SRC" ] || { echo "install-pixelmed: $SRC missing (apt-get install libpixelmed-java)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$SRC" "$tmp/pixelmed.jar"
zip -q -d "$tmp/pixelmed.jar" META-INF/MANIFEST.MF || true
mvn -q -B install:install-file -Dfile="$tmp/pixelmed.jar" -DgroupId=com.pixelmed -DartifactId=pixelmed \
  -Dversion=$VERSION -Dpackaging=jar -DgeneratePom=true
echo "install-pixelmed: installed $DEST"
