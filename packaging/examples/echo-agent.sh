#!/bin/sh
# A minimal Mission Control agent for the `command` backend: the prompt arrives
# on stdin, every line printed on stdout is streamed as agent output, and the
# exit code decides success. Replace the body with a call to your own tool.
prompt=$(cat)
title=$(printf '%s\n' "$prompt" | sed -n 's/^## Task: //p' | head -n 1)
echo "Received a prompt of $(printf '%s' "$prompt" | wc -c) bytes."
echo "Working on: ${title:-an untitled task}"
for step in plan draft review; do
    echo "step: $step"
    sleep "${ECHO_AGENT_DELAY:-0.2}"
done
echo "Done. Summary: '${title}' handled by echo-agent in ${MC_WORKDIR:-the working folder}."
