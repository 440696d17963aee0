#!/bin/sh
# Installs the pinned real agent CLIs into $1 (the build tree) once; later runs
# reuse them. Uses the distribution's nodejs and npm.
set -eu
dir=$1
claude=@anthropic-ai/claude-code@2.1.197
codex=@openai/codex@0.169.0
stamp="$dir/installed-$(echo "$claude $codex" | tr '/@ ' '___')"
if [ -f "$stamp" ] && [ -x "$dir/node_modules/.bin/claude" ] && [ -x "$dir/node_modules/.bin/codex" ]; then
    exit 0
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "$claude" "$codex"
"$dir/node_modules/.bin/claude" --version
"$dir/node_modules/.bin/codex" --version
touch "$stamp"
