#!/usr/bin/env bash
# Builds the libFuzzer target with clang (ASan+UBSan) and fuzzes the request
# layer for a bounded time from the seed corpus. Fails on any crash, leak or
# contract violation. Usage: run_fuzz.sh SOURCE_DIR WORK_DIR SECONDS
set -euo pipefail
src=$1
dir=$2/fuzz-build
seconds=${3:-60}
mkdir -p "$dir"
CC=clang CXX=clang++ cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMC_FUZZ=ON \
    -DMC_SANITIZE="address;undefined" > "$dir/../fuzz-configure.log" 2>&1 || { cat "$dir/../fuzz-configure.log"; exit 1; }
cmake --build "$dir" -j2 --target fuzz_request > "$dir/../fuzz-build.log" 2>&1 || { tail -60 "$dir/../fuzz-build.log"; exit 1; }
corpus=$dir/corpus
mkdir -p "$corpus"
cp "$src"/tests/fuzz/corpus/* "$corpus/"
export MISSION_CONTROL_SETTINGS=/dev/null
"$dir/tests/fuzz/fuzz_request" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=4096 -print_final_stats=1 \
    "$corpus" > "$dir/../fuzz.log" 2>&1 || { tail -80 "$dir/../fuzz.log"; exit 1; }
grep -E "^Done [0-9]+ runs|stat::number_of_executed_units|cov:.*DONE" "$dir/../fuzz.log" | tail -3
