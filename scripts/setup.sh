#!/usr/bin/env bash
# Installs the Debian 12 packages Rúbrica needs to build, run and test, when missing.
# Safe to re-run: it only calls apt-get when a package is absent. Uses sudo when not root.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git ccache
  # libraries
  libpoco-dev libpodofo-dev libssl-dev libxml2-dev libxmlsec1-dev libxmlsec1-openssl
  libsqlite3-dev zlib1g-dev libdeflate-dev libgtest-dev libqrencode-dev libicu-dev
  # runtime data: time zones, fonts embedded in actas, the sRGB profile of PDF/A actas
  tzdata fonts-dejavu-core fonts-liberation icc-profiles-free
  # tools the tests use as independent judges, and peers in benchmarks
  openssl poppler-utils qpdf libnss3-tools libpodofo-utils sqlite3 curl zbar-tools
  # XSD validation and XMLDSig verification we did not write (the signed-XML tests), and
  # the ZIP judge of the monthly package and the certified copy (tests/delivery, tests/server)
  libxml2-utils xmlsec1 unzip xz-utils
  # pdfsig has no option for the date it judges certificates at: the demo tests run it on
  # an injected clock (faketime) so that they do not depend on today's date
  faketime
  # a Prometheus text-format parser we did not write (the /metrics test)
  python3-prometheus-client
  # peers the notification tests talk to, and a calendar parser we did not write
  python3-aiosmtpd python3-icalendar
  # systemd-analyze, which judges the Debian package's unit (tests/packaging)
  systemd
  # the browser the web tests drive (Playwright never downloads one)
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web pages are built with Node.js >= 20.19 and npm (scripts/web.sh); Debian 12's own
# nodejs (18) is too old, so Node comes with the machine.
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ((node_major < 20)) || ! command -v npm >/dev/null; then
  echo "setup: Node.js >= 20.19 and npm are needed to build the web pages (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi
