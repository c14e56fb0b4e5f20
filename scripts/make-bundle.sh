#!/bin/sh
# make-bundle.sh DIR [ARGS...]: an OCI 1.0 bundle with a busybox-static rootfs (sh, sleep, echo,
# cat, ...). terminal=false; the process runs ARGS (default: sleep 3600). Used by `make run`,
# the tests and the benchmarks. Needs runc and busybox-static on the host.
set -eu
dir=${1:?usage: make-bundle.sh DIR [ARGS...]}
shift
busybox=$(command -v busybox || echo /bin/busybox)
runc=${RUNC:-runc}
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" "$dir/rootfs/tmp" "$dir/rootfs/etc"
cp "$busybox" "$dir/rootfs/bin/busybox"
for applet in $("$dir/rootfs/bin/busybox" --list); do
  [ -e "$dir/rootfs/bin/$applet" ] || ln -s busybox "$dir/rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/:/bin/sh' > "$dir/rootfs/etc/passwd"
echo 'root:x:0:' > "$dir/rootfs/etc/group"
rm -f "$dir/config.json"
(cd "$dir" && "$runc" spec)
# terminal off, args replaced; node is not needed here, so edit with sed on runc's known layout.
if [ $# -eq 0 ]; then set -- sleep 3600; fi
args=""
for a in "$@"; do
  esc=$(printf '%s' "$a" | sed 's/\\/\\\\/g; s/"/\\"/g')
  args="$args${args:+, }\"$esc\""
done
sed -i 's/"terminal": true/"terminal": false/' "$dir/config.json"
# runc spec prints args as a multi-line array holding just "sh"
REPL="			\"args\": [ $args ]," awk '
  /"args": \[/ { print ENVIRON["REPL"]; skip=1; next }
  skip && /\],/ { skip=0; next }
  skip { next }
  { print }
' "$dir/config.json" > "$dir/config.json.tmp" && mv "$dir/config.json.tmp" "$dir/config.json"
