#!/usr/bin/env bash
# Builds the engine and server tests with ThreadSanitizer in their own folder
# and runs them. Usage: run_tsan.sh SOURCE_DIR WORK_DIR
#
# Debian's Qt is not instrumented, so TSan cannot see the futexes inside it
# (QMutex, the event queue, QThreadPool). Two things make the run meaningful:
# - ignore_noninstrumented_modules=1: memory accesses made inside Qt's own
#   libraries are not checked (TSan could not order them anyway);
# - every hand-over of ours between threads that goes through Qt is announced
#   to TSan (core/engine/handoff.h), and our own locks are std::mutex.
# Everything our code does on any thread is checked; there is no suppression.
set -euo pipefail
src=$1
dir=$2/sanitize-tsan
tests=(tst_runchannel tst_execution tst_backends tst_websocket tst_server tst_limits)
mkdir -p "$dir"
cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMC_SANITIZE=thread > "$dir/../tsan-configure.log" 2>&1 \
    || { cat "$dir/../tsan-configure.log"; exit 1; }
cmake --build "$dir" -j2 --target mission-control "${tests[@]}" > "$dir/../tsan-build.log" 2>&1 \
    || { tail -60 "$dir/../tsan-build.log"; exit 1; }
export TSAN_OPTIONS="halt_on_error=1 ignore_noninstrumented_modules=1 die_after_fork=0 report_signal_unsafe=0 second_deadlock_stack=1"
regex="^($(IFS='|'; echo "${tests[*]}"))\$"
ctest --test-dir "$dir" -j2 -R "$regex" --output-on-failure
