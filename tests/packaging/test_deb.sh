#!/usr/bin/env bash
# Builds the .deb and .tar.gz, checks them (lintian, desktop-file-validate,
# appstreamcli, man page vs --help), installs the .deb into a clean Debian 12
# chroot with apt resolving its Depends, starts the installed binary headless,
# checks /health with the token, and purges it again.
# Usage: test_deb.sh BUILD_DIR SOURCE_DIR. Needs root (chroot); exit 77 = skipped.
set -euo pipefail
build=$1
src=$2
if [ "$(id -u)" != 0 ]; then
    echo "SKIPPED: installing into a chroot needs root (CI runs as root)"
    exit 77
fi
fail() { echo "FAIL: $*"; exit 1; }
step() { local ms=$(( ($(date +%s%N) - start) / 1000000 )); printf '[%4d.%01d s] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }
start=$(date +%s%N)
cd "$build"

step "cpack DEB + TGZ"
rm -f mission-control_*.deb mission-control-*.tar.gz
cpack -G "DEB;TGZ" > cpack.log 2>&1 || { cat cpack.log; fail "cpack"; }
deb=$(ls mission-control_*_amd64.deb)
echo "package: $deb, $(stat -c %s "$deb") bytes"
echo "Depends: $(dpkg-deb -f "$deb" Depends)"
ls mission-control-*.tar.gz

step "lintian"
lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v "running with root privileges" | tee lintian.log || true
if grep -q '^E:' lintian.log; then fail "lintian reports errors"; fi
step "desktop-file-validate + appstreamcli"
desktop-file-validate "$src"/packaging/*.desktop
appstreamcli validate --no-net "$src"/packaging/*.metainfo.xml

step "man page documents every option of --help"
man=$(zcat packaging/mission-control.1.gz | sed 's/\\-/-/g')
for option in $(./bin/mission-control --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$option" <<<"$man" || fail "the man page does not mention $option"
done

cache=$build/chroot-cache/bookworm-minbase.tar.gz
mirror=${MC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /tmp/mc-chroot.XXXXXX)
cleanup() {
    [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
if [ -f "$cache" ]; then
    step "clean Debian 12 root from the cached debootstrap tarball"
    tar -xzf "$cache" -C "$root"
else
    step "debootstrap --variant=minbase bookworm (cached for the next run)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" > debootstrap.log 2>&1 || { tail -20 debootstrap.log; fail "debootstrap"; }
    mkdir -p "$(dirname "$cache")"
    tar -czf "$cache" -C "$root" .
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"

step "apt-get install ./$deb in the chroot (apt resolves Depends)"
chroot "$root" apt-get update -qq > apt.log 2>&1 || { tail apt.log; fail "apt-get update"; }
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "/tmp/$deb" >> apt.log 2>&1 \
    || { tail -30 apt.log; fail "apt-get install"; }
test -x "$root/usr/bin/mission-control" || fail "binary not installed"
test -f "$root/usr/share/mission-control/examples/echo-agent.sh" || fail "examples not installed"

step "start the installed mission-control --headless --port 0"
chroot "$root" /usr/bin/mission-control --headless --port 0 --data-dir /tmp/mcdata > "$root/tmp/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 100); do
    port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$root/tmp/server.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$root/tmp/server.log"; fail "the installed binary did not start"; }
token=$(chroot "$root" /usr/bin/mission-control --print-token --data-dir /tmp/mcdata)
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/mission-control/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' "$token" >&3
IFS= read -r -t 10 -d '}' answer <&3 || true   # the body is one flat JSON object
exec 3>&-
echo "health: $answer"
grep -q '"status":"ok"' <<<"$answer" || fail "/health did not answer ok"
kill -TERM "$server_pid"
wait "$server_pid" || fail "the installed binary did not exit cleanly on SIGTERM"
server_pid=

step "apt-get purge"
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get purge -y -qq mission-control >> apt.log 2>&1 || fail "purge"
test ! -e "$root/usr/bin/mission-control" || fail "binary left behind"
test ! -e "$root/usr/share/applications/io.github.missioncontrol.MissionControl.desktop" || fail "desktop file left behind"
step "done"
