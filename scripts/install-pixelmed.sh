#!/usr/bin/env bash
# Installs Debian's PixelMed jars into the local Maven repository (idempotent):
#   /usr/share/java/pixelmed-20220618.jar          -> com.pixelmed:pixelmed:20220618          (libpixelmed-java)
#   /usr/share/java/pixelmed_imageio-20200328.jar  -> com.pixelmed:pixelmed-imageio:20200328  (libpixelmed-imageio-java;
#                                                      the ImageIO JPEG lossless reader dicom-io decodes with)
# Manifests are stripped: the main jar's Class-Path would drag Debian's slf4j 1.7 and others onto our classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
# The local repository Maven will use: MAVEN_REPO, else a -Dmaven.repo.local in .mvn/maven.config, else ~/.m2.
REPO="${MAVEN_REPO:-}"
if [ -z "$REPO" ] && [ -f .mvn/maven.config ]; then
  REPO=$(grep -o -- '-Dmaven.repo.local=[^ ]*' .mvn/maven.config | head -1 | cut -d= -f2 || true)
fi
REPO="${REPO:-$HOME/.m2/repository}"

install_jar() { # artifactId version source-jar debian-package
  local artifact=$1 version=$2 src=$3 package=$4
  local dest="$REPO/com/pixelmed/$artifact/$version/$artifact-$version.jar"
  if [ -f "$dest" ]; then return 0; fi
  [ -f "$src" ] || { echo "install-pixelmed: $src missing (apt-get install $package)" >&2; exit 1; }
  local tmp
  tmp=$(mktemp -d)
  cp "$src" "$tmp/$artifact.jar"
  zip -q -d "$tmp/$artifact.jar" META-INF/MANIFEST.MF || true
  mvn -q -B -Dmaven.repo.local="$REPO" install:install-file -Dfile="$tmp/$artifact.jar" -DgroupId=com.pixelmed -DartifactId="$artifact" \
    -Dversion="$version" -Dpackaging=jar -DgeneratePom=true
  rm -rf "$tmp"
  echo "install-pixelmed: installed $dest"
}

install_jar pixelmed 20220618 /usr/share/java/pixelmed-20220618.jar libpixelmed-java
install_jar pixelmed-imageio 20200328 /usr/share/java/pixelmed_imageio-20200328.jar libpixelmed-imageio-java
