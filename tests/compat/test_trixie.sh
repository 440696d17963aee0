#!/usr/bin/env bash
# Label compat: this source tree on Qt 6.8. Builds it in a clean Debian 13
# (trixie, Qt 6.8, GCC 14, CMake 3.31) root made with debootstrap, with
# warnings as errors, and runs the quick suite there.
# Cached in BUILD_DIR/chroot-cache/ like the packaging test's Debian 12 root:
# the debootstrap tarball, the downloaded .debs, and the build folder used
# inside the root (so a second run only rebuilds what changed).
# Usage: test_trixie.sh BUILD_DIR SOURCE_DIR [TEST...]. Needs root (chroot); exit 77 = skipped.
# With test names (e.g. tst_http11 tst_limits) only those programs are built and run.
set -euo pipefail
build=$(realpath "$1")
src=$(realpath "$2")
shift 2
only=("$@")
if [ "$(id -u)" != 0 ]; then
    echo "SKIPPED: building in a chroot needs root (CI runs as root)"
    exit 77
fi
fail() { echo "FAIL: $*"; exit 1; }
step() { local ms=$(( ($(date +%s%N) - start) / 1000000 )); printf '[%4d.%01d s] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }
start=$(date +%s%N)

cache=$build/chroot-cache
tarball=$cache/trixie-minbase.tar.gz
debs=$cache/trixie-debs
work=$cache/trixie-build
mirror=${MC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages="cmake ninja-build g++ qt6-base-dev qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite libgl-dev apache2-utils"
mkdir -p "$debs/partial" "$work"
log=$cache/trixie.log
: > "$log"

root=$(mktemp -d /tmp/mc-trixie.XXXXXX)
mounts=()
cleanup() {
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true; done
    # Never delete through a mount that is still there (the bound source and caches).
    if grep -q " $root" /proc/mounts; then echo "left $root in place: still mounted"; else rm -rf "$root"; fi
}
trap cleanup EXIT
bindmount() { mkdir -p "$2"; mount --bind "$1" "$2"; mounts+=("$2"); }

if [ -f "$tarball" ]; then
    step "clean Debian 13 root from the cached debootstrap tarball"
    tar -xzf "$tarball" -C "$root"
else
    step "debootstrap --variant=minbase trixie (cached for the next run)"
    debootstrap --variant=minbase --cache-dir="$debs" trixie "$root" "$mirror" >> "$log" 2>&1 \
        || { tail -20 "$log"; fail "debootstrap"; }
    tar -czf "$tarball" -C "$root" .
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"; mounts+=("$root/proc")
bindmount "$debs" "$root/var/cache/apt/archives"
bindmount "$src" "$root/src"
mount -o remount,bind,ro "$root/src"
bindmount "$work" "$root/build"

step "apt-get install Qt 6.8 development packages (downloads cached)"
chroot "$root" apt-get update -qq >> "$log" 2>&1 || { tail "$log"; fail "apt-get update"; }
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends $packages >> "$log" 2>&1 \
    || { tail -30 "$log"; fail "apt-get install"; }
chroot "$root" sh -c 'printf "Qt %s, %s, %s\n" "$(dpkg-query -W -f "\${Version}" qt6-base-dev)" "$(g++ --version | head -1)" "$(cmake --version | head -1)"'

step "configure and build with -DMC_WERROR=ON -j2"
chroot "$root" cmake -S /src -B /build -G Ninja -DMC_WERROR=ON > "$cache/trixie-configure.log" 2>&1 \
    || { tail -40 "$cache/trixie-configure.log"; fail "configure on Debian 13"; }
targets=()
for t in "${only[@]}"; do targets+=(--target "$t"); done
chroot "$root" cmake --build /build -j2 "${targets[@]}" > "$cache/trixie-make.log" 2>&1 \
    || { grep -B2 -A12 -m3 'error:' "$cache/trixie-make.log" || tail -40 "$cache/trixie-make.log"; fail "build on Debian 13"; }

selection=(-LE "packaging|sanitizers|fuzz|compat|realcli|postgres|desktop")
if [ ${#only[@]} -gt 0 ]; then selection=(-R "^($(IFS='|'; echo "${only[*]}"))\$"); fi
step "quick suite on Debian 13 ${only[*]}"
chroot "$root" env -u DISPLAY -u WAYLAND_DISPLAY ctest --test-dir /build "${selection[@]}" -j2 --output-on-failure \
    > "$cache/trixie-ctest.log" 2>&1 || { cat "$cache/trixie-ctest.log"; fail "the quick suite on Debian 13"; }
grep -E "tests passed|Total Test time" "$cache/trixie-ctest.log"
step "done"
