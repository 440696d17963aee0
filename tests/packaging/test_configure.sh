#!/usr/bin/env bash
# The Windows (NSIS/WiX + windeployqt) and macOS (bundle + DragNDrop) installer
# settings configure without error on this host. Usage: test_configure.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1
work=$2
mkdir -p "$work"
for platform in windows macos; do
    rm -rf "$work/$platform"
    cmake -S "$src" -B "$work/$platform" -G Ninja -DBUILD_TESTING=OFF -DMC_PACKAGE_PLATFORM=$platform > "$work/$platform.log" 2>&1 \
        || { cat "$work/$platform.log"; echo "FAIL: configure for $platform"; exit 1; }
    grep -q "CPACK_GENERATOR" "$work/$platform/CPackConfig.cmake"
    case $platform in
        windows) grep -q '"NSIS;WIX"' "$work/$platform/CPackConfig.cmake" && grep -q 'CPACK_WIX_UPGRADE_GUID' "$work/$platform/CPackConfig.cmake" ;;
        macos) grep -q '"DragNDrop"' "$work/$platform/CPackConfig.cmake" ;;
    esac || { echo "FAIL: $platform CPack settings missing"; exit 1; }

    find "$work/$platform/.qt" -name 'deploy_mission*' | grep -q . \
        || { echo "FAIL: no Qt deploy script generated for $platform"; exit 1; }
    echo "$platform: configured, CPack generator $(grep 'set(CPACK_GENERATOR' "$work/$platform/CPackConfig.cmake")"
done
