#!/usr/bin/env bash
# Builds the two .debs (mission-control, mission-control-server) and the
# .tar.gz, checks them (lintian -I --pedantic, hardening, desktop-file-validate,
# appstreamcli, man pages vs --help, systemd-analyze verify on the user unit),
# installs the server package alone into a clean Debian 12 chroot (no Mesa, no
# LLVM, no GUI library), runs it as a non-root user, checks /health with the
# token and the data folder's modes, then installs the GUI package and purges both.
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
rm -f mission-control*.deb mission-control-*.tar.gz
cpack -G "DEB;TGZ" > cpack.log 2>&1 || { cat cpack.log; fail "cpack"; }
gui=$(ls mission-control_*_amd64.deb)
server=$(ls mission-control-server_*_amd64.deb)
for deb in "$server" "$gui"; do
    echo "package: $deb, $(stat -c %s "$deb") bytes; Depends: $(dpkg-deb -f "$deb" Depends)"
done
ls mission-control-*.tar.gz
server_files=$(dpkg-deb -c "$server" | awk '{print $6}')
gui_files=$(dpkg-deb -c "$gui" | awk '{print $6}')
grep -qx './usr/lib/systemd/user/mission-control.service' <<<"$server_files" || fail "the server package has no user unit"
grep -qx './usr/bin/mission-control' <<<"$gui_files" || fail "the GUI package has no binary"
! grep -qx './usr/bin/mission-control' <<<"$server_files" || fail "the server package holds the GUI binary"

step "lintian -I --pedantic (no tag at all)"
lintian -I --pedantic --tag-display-limit 0 "$server" "$gui" 2>&1 | grep -v "running with root privileges" | tee lintian.log || true
[ ! -s lintian.log ] || fail "lintian reports tags"

step "hardening: bindnow, relro, fortify, stack protector; no GUI library in the server"
extracted=$(mktemp -d /tmp/mc-debx.XXXXXX)
dpkg-deb -x "$server" "$extracted"; dpkg-deb -x "$gui" "$extracted"
for binary in "$extracted"/usr/bin/*; do
    dynamic=$(readelf -d "$binary"); segments=$(readelf -lW "$binary"); symbols=$(readelf -sW --dyn-syms "$binary")
    grep -q 'BIND_NOW' <<<"$dynamic" || fail "$binary: not linked with -z now"
    grep -q 'GNU_RELRO' <<<"$segments" || fail "$binary: no RELRO"
    grep -q '__stack_chk_fail' <<<"$symbols" || fail "$binary: no stack protector"
    grep -q '_chk@' <<<"$symbols" || fail "$binary: no fortified calls"
    echo "$(basename "$binary"): BIND_NOW, RELRO, stack protector, fortified calls"
done
if grep -q 'libQt6\(Gui\|Widgets\)' <<<"$(readelf -d "$extracted/usr/bin/mission-control-server")"; then
    fail "mission-control-server links a GUI library"
fi

step "systemd-analyze verify the user unit (as installed, binary and man page from the packages)"
unit=$extracted/usr/lib/systemd/user/mission-control.service
sed "s|ExecStart=/usr/bin/|ExecStart=$extracted/usr/bin/|" "$unit" > "$extracted/mission-control.service"
MANPATH=$extracted/usr/share/man systemd-analyze verify "$extracted/mission-control.service" > verify.log 2>&1 \
    || { cat verify.log; fail "systemd-analyze verify"; }
[ ! -s verify.log ] || { cat verify.log; fail "systemd-analyze verify printed warnings"; }

step "desktop-file-validate + appstreamcli"
desktop-file-validate "$src"/packaging/*.desktop
appstreamcli validate --no-net --pedantic "$src"/packaging/*.metainfo.xml

step "man pages document every option of --help"
man=$(zcat packaging/mission-control.1.gz | sed 's/\\-/-/g')
for option in $(./bin/mission-control --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$option" <<<"$man" || fail "the man page does not mention $option"
done
diff <(./bin/mission-control --help | grep -o -- '--[a-z][a-z-]*' | sort -u) \
     <(./bin/mission-control-server --help | grep -o -- '--[a-z][a-z-]*' | sort -u) \
    || fail "mission-control-server does not take the same options as mission-control"
rm -rf "$extracted"

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
chmod 755 "$root"   # after tar restored mktemp's 0700: the non-root user traverses it
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$server" "$gui" "$root/tmp/"

step "apt-get install ./$server alone in the chroot (apt resolves Depends)"
chroot "$root" apt-get update -qq > apt.log 2>&1 || { tail apt.log; fail "apt-get update"; }
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "/tmp/$server" >> apt.log 2>&1 \
    || { tail -30 apt.log; fail "apt-get install the server"; }
test -x "$root/usr/bin/mission-control-server" || fail "server binary not installed"
test -f "$root/usr/share/mission-control/examples/echo-agent.sh" || fail "examples not installed"
gui_libs=$(chroot "$root" dpkg-query -W -f '${Package}\n' | grep -E 'mesa|llvm|libgl1|libqt6gui|libqt6widgets|libx11-6' || true)
[ -z "$gui_libs" ] || fail "the server package pulled in GUI libraries: $gui_libs"
echo "installed packages in the root: $(chroot "$root" dpkg-query -W -f '.\n' | wc -l), none of Mesa/LLVM/Qt GUI"

step "start mission-control-server --port 0 as a non-root user (the default data folder)"
chroot "$root" useradd --create-home mcuser
as_user() { chroot --userspec=mcuser:mcuser "$root" env -i HOME=/home/mcuser PATH=/usr/bin:/bin "$@"; }
# Not through as_user: $! must be the server itself (chroot and env exec it) for SIGTERM below.
chroot --userspec=mcuser:mcuser "$root" env -i HOME=/home/mcuser PATH=/usr/bin:/bin \
    /usr/bin/mission-control-server --port 0 > "$root/tmp/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 100); do
    port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$root/tmp/server.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$root/tmp/server.log"; fail "the installed server did not start"; }
token=$(as_user /usr/bin/mission-control-server --print-token)
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /api/mission-control/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{"title": "mode"}' "$token" >&3
IFS= read -r -t 10 answer <&3 || true
exec 3>&-
echo "create a task: $answer"
grep -q ' 200' <<<"$answer" || fail "creating a task did not answer 200"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/mission-control/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' "$token" >&3
answer=$(timeout 10 cat <&3 || true)   # Connection: close: the whole answer, then EOF
exec 3>&-
echo "health: $answer"
grep -q '"status":"ok"' <<<"$answer" || fail "/health did not answer ok"

step "data folder 0700, database, WAL and token 0600, owned by the user"
data=/home/mcuser/.local/share/mission-control   # user names resolved inside the root
chroot "$root" sh -c "stat -c '%a %U %n' $data $data/mission-control.db* $data/token"
[ "$(chroot "$root" stat -c '%a %U' "$data")" = "700 mcuser" ] || fail "the data folder is not 0700 mcuser"
for f in mission-control.db mission-control.db-wal token; do
    [ "$(chroot "$root" stat -c '%a %U' "$data/$f")" = "600 mcuser" ] || fail "$f is not 0600 mcuser"
done
kill -TERM "$server_pid"
wait "$server_pid" || fail "the installed server did not exit cleanly on SIGTERM"
server_pid=

step "apt-get install ./$gui (brings the GUI libraries)"
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "/tmp/$gui" >> apt.log 2>&1 \
    || { tail -30 apt.log; fail "apt-get install the GUI"; }
test -x "$root/usr/bin/mission-control" || fail "GUI binary not installed"
chroot "$root" /usr/bin/mission-control --version || fail "the GUI binary does not run"

step "apt-get purge"
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get purge -y -qq mission-control mission-control-server >> apt.log 2>&1 || fail "purge"
test ! -e "$root/usr/bin/mission-control" || fail "binary left behind"
test ! -e "$root/usr/bin/mission-control-server" || fail "server binary left behind"
test ! -e "$root/usr/share/applications/io.github.missioncontrol.MissionControl.desktop" || fail "desktop file left behind"
step "done"
