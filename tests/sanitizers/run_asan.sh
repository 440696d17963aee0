#!/usr/bin/env bash
# Builds the project with ASan+UBSan in its own folder and runs the unit and
# integration tests there (everything but packaging). Usage: run_asan.sh SOURCE_DIR WORK_DIR
# ThreadSanitizer runs separately, on the engine and server tests (run_tsan.sh).
set -euo pipefail
src=$1
dir=$2/sanitize-asan
mkdir -p "$dir"
cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMC_SANITIZE="address;undefined" > "$dir/../asan-configure.log" 2>&1 \
    || { cat "$dir/../asan-configure.log"; exit 1; }
cmake --build "$dir" -j2 > "$dir/../asan-build.log" 2>&1 || { tail -60 "$dir/../asan-build.log"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$dir" -j2 -LE "packaging|compat|sanitizers|fuzz|realcli|postgres|desktop" --output-on-failure
