#!/usr/bin/env bash
# Builds the Debian package of the build tree $1 with cpack and checks it as an installer
# would see it: the files and their modes, the control scripts, an unpack into a fresh
# root with dpkg --root, `systemd-analyze verify` of the unit against that root, and its
# `systemd-analyze security` exposure (at most 3.0). Exit 0 when all hold.
set -euo pipefail
build="$(cd "$1" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Uncompressed: the sanitizer build's binary is large, and compressing it tells nothing.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" -D CPACK_DEBIAN_COMPRESSION_TYPE=none \
  >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
deb="$(ls "$work"/out/rubrica_*.deb)"
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# Files and modes, as dpkg-deb lists them.
dpkg-deb -c "$deb" >"$work/list"
expect() {  # mode path
  grep -Eq "^$1 root/root +[0-9]+ [0-9-]+ [0-9:]+ \./$2\$" "$work/list" ||
    { cat "$work/list" >&2; fail "expected $1 $2"; }
}
expect '-rwxr-xr-x' 'usr/bin/rubrica'
expect '-rwxr-xr-x' 'usr/bin/rubrica-verify-worker'
expect '-rw-r--r--' 'lib/systemd/system/rubrica\.service'
expect '-rw-r--r--' 'etc/rubrica/rubrica\.conf'
expect '-rw-r--r--' 'usr/share/doc/rubrica/operations\.md'
# Nothing writable by group or others, nothing set-uid.
if awk '{print $1}' "$work/list" | grep -Eq '^.....w|^........w|s'; then
  cat "$work/list" >&2; fail "a file is group/world-writable or set-uid"
fi
# The master secret and the data directory are made at install time, never shipped.
if grep -Eq 'master\.key|var/lib/rubrica' "$work/list"; then fail "the package ships secrets or data"; fi

# Control: dependencies, the conffile, the maintainer scripts.
dpkg-deb -I "$deb" >"$work/info"
grep -Eq '^ Depends:.*adduser' "$work/info" || { cat "$work/info" >&2; fail "Depends lacks adduser"; }
dpkg-deb -e "$deb" "$work/control"
grep -qx '/etc/rubrica/rubrica.conf' "$work/control/conffiles" || fail "rubrica.conf is not a conffile"
for s in postinst prerm postrm; do
  [ "$(stat -c %a "$work/control/$s")" = 755 ] || fail "$s is not 0755"
  sh -n "$work/control/$s" || fail "$s does not parse"
done
grep -q 'rubrica init --config /etc/rubrica/rubrica.conf' "$work/control/postinst" || fail "postinst does not run rubrica init"
grep -q 'adduser --system' "$work/control/postinst" || fail "postinst does not create the system user"
grep -q 'install -d -m 0700 -o rubrica -g rubrica /var/lib/rubrica' "$work/control/postinst" ||
  fail "postinst does not make /var/lib/rubrica 0700"

# Unpack into a fresh root with dpkg itself (the maintainer scripts need a whole system
# to run in, so the package is unpacked, not configured).
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
dpkg --root="$root" --force-not-root --unpack "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg --unpack"; }
dpkg --root="$root" -s rubrica | grep -q '^Status: install ok unpacked' || fail "dpkg does not record the unpack"
[ -x "$root/usr/bin/rubrica" ] || fail "no /usr/bin/rubrica after the unpack"
"$root/usr/bin/rubrica" version | grep -q '^rubrica ' || fail "the unpacked binary does not run"
# The sandboxed verifier beside it answers a file that is not a PDF with its own report.
worker_out="$(echo 'not a pdf' | "$root/usr/bin/rubrica-verify-worker" verify-worker --json || true)"
grep -q '"error_code":"pdf.not_a_pdf"' <<<"$worker_out" || fail "the unpacked verify worker does not run"

# The unit: systemd's own checks, against the unpacked tree.
unit="$root/lib/systemd/system/rubrica.service"
# verify resolves dependencies (sysinit.target, ...) among the host's units, and checks the
# ExecStart binary exists: it checks a copy whose binary is the unpacked one.
mkdir -p "$work/unit"
sed "s|^ExecStart=/usr/bin/rubrica |ExecStart=$root/usr/bin/rubrica |" "$unit" >"$work/unit/rubrica.service"
grep -q "^ExecStart=$root/usr/bin/rubrica serve" "$work/unit/rubrica.service" || fail "ExecStart is not /usr/bin/rubrica serve"
systemd-analyze verify "$work/unit/rubrica.service" >"$work/verify.log" 2>&1 ||
  { cat "$work/verify.log" >&2; fail "systemd-analyze verify"; }
[ ! -s "$work/verify.log" ] || { cat "$work/verify.log" >&2; fail "systemd-analyze verify complained"; }
systemd-analyze security --offline=yes --root="$root" --threshold=30 rubrica.service >"$work/security.log" 2>&1 ||
  { tail -40 "$work/security.log" >&2; fail "systemd-analyze security above 3.0"; }
score="$(grep -o 'Overall exposure level for rubrica.service: [0-9.]*' "$work/security.log" | awk '{print $NF}')"
[ -n "$score" ] || { cat "$work/security.log" >&2; fail "no exposure score"; }
awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }' || fail "exposure $score above 3.0"
for key in 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' 'ReadWritePaths=/var/lib/rubrica' \
           'LoadCredential=master.key:/etc/rubrica/master.key' 'CapabilityBoundingSet=$'; do
  grep -Eq "^$key" "$unit" || fail "the unit lacks $key"
done
[ "$(grep -c '^ReadWritePaths=' "$unit")" = 1 ] || fail "ReadWritePaths must name the data directory only"
echo "unit: systemd-analyze verify clean; exposure $score"
echo "OK"
