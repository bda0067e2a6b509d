#!/usr/bin/env bash
# Debian packages the product needs: Tesseract with Vietnamese, and a font with Vietnamese glyphs
# (used to render the generated sample scans). Idempotent: installs only what is missing.
set -euo pipefail
packages=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
