#!/bin/sh
# Printed by `make run` before the daemon starts: what to try from a second terminal.
b=$1
cat <<MSG
legacyd is starting with its defaults (socket unix:///run/legacyd/legacyd.sock, state /run/legacyd,
metrics http://127.0.0.1:9323/metrics). A demo bundle is ready at $b. In another terminal:

  alias legacyctl='node $(pwd)/dist/src/cli/legacyctl.js'
  legacyctl containers start demo $b          # start it
  legacyctl containers list                   # running, with its pid
  legacyctl containers exec --id demo -a -- sh -c 'echo hello from inside; exit 4'; echo "exit=\$?"
  legacyctl containers stats demo --count 3   # cpu, memory, network
  legacyctl containers pause demo && legacyctl containers resume demo
  legacyctl checkpoints create demo cp1 && legacyctl checkpoints list demo
  legacyctl events                            # live events (Ctrl-C to stop)
  legacyctl containers kill -s KILL demo
  curl -s 127.0.0.1:9323/metrics | grep container_cpu_usage_seconds_total

Stop the daemon with Ctrl-C: containers keep running and are re-adopted at the next start.
MSG
