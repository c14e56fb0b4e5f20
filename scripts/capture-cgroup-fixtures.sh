#!/bin/sh
# capture-cgroup-fixtures.sh [OUT]: snapshot two real runc containers' cgroup files into a fixture
# tree laid out like the host, so `new CgroupReader({ cgroupRoot: OUT/sys/fs/cgroup, procRoot: OUT/proc })`
# reads it as it would read the host:
#   OUT/sys/fs/cgroup/<controller>/<cgroup path>/*   every readable file of each container cgroup dir
#   OUT/proc/<pid>/cgroup, OUT/proc/<pid>/net/dev    per container init pid
#   OUT/proc/self/mountinfo                          the host's cgroup mounts (as this script sees them)
#   OUT/containers.env                               ids and pids (NAME_ID=..., NAME_PID=...)
# Containers: "burner" (busy loop, cpu quota 50ms/100ms, pids.max 64) and "memlimit" (64 MiB memory
# limit without swap: a child is OOM-killed, then 16 MiB are written and read back with O_DIRECT so
# blkio sees them (v1 charges buffered writeback to the root), then 8 MiB of page cache are written;
# a never-reached blkio throttle limit on the bundle's disk, without which this kernel counts nothing).
# Needs root, runc and busybox-static. Default OUT: test/fixtures/cgroups/hybrid-runc.
# After refreshing, update the expected values in test/unit/cgroups/hybrid-fixture.test.ts.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=${1:-$repo/test/fixtures/cgroups/hybrid-runc}
runc=${RUNC:-runc}
settle=${SETTLE_SECONDS:-3}
tag=fx$$
work=$(mktemp -d /tmp/cgroup-fixtures.XXXXXX)

cleanup() {
  for name in burner memlimit; do
    "$runc" kill "$tag-$name" KILL >/dev/null 2>&1 || true
  done
  sleep 0.2
  for name in burner memlimit; do
    "$runc" delete -f "$tag-$name" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# set_resources CONFIG JSON: merge JSON into linux.resources and make the rootfs writable (node is
# a project dependency anyway).
set_resources() {
  node -e '
    const fs = require("fs");
    const [file, json] = process.argv.slice(1);
    const c = JSON.parse(fs.readFileSync(file, "utf8"));
    c.linux.resources = { ...(c.linux.resources || {}), ...JSON.parse(json) };
    c.root.readonly = false;
    fs.writeFileSync(file, JSON.stringify(c, null, 2));
  ' "$1" "$2"
}

start() { # start NAME: run detached, print the init pid
  (cd "$work/$1" && "$runc" run -d "$tag-$1" </dev/null >/dev/null 2>&1)
  "$runc" state "$tag-$1" | sed -n 's/^ *"pid": \([0-9]*\),*$/\1/p'
}

"$repo/scripts/make-bundle.sh" "$work/burner" sh -c 'while :; do :; done'
set_resources "$work/burner/config.json" '{"cpu":{"quota":50000,"period":100000},"pids":{"limit":64}}'
"$repo/scripts/make-bundle.sh" "$work/memlimit" sh -c \
  'head -c 200m /dev/zero | tail >/dev/null; dd if=/dev/zero of=/tmp/direct bs=1M count=16 oflag=direct 2>/dev/null; dd if=/tmp/direct of=/dev/null bs=1M iflag=direct 2>/dev/null; dd if=/dev/zero of=/tmp/cache bs=1M count=8 2>/dev/null; while :; do sleep 1; done'
# Kernels >= 6.x count v1 blkio.throttle.* only once a throttle limit exists on the device: set a
# limit nobody reaches on the disk holding the bundle (when it is a block device).
dev=$(stat -c '%Hd:%Ld' "$work")
major=${dev%%:*}
minor=${dev#*:}
blockio=''
if [ "$major" != 0 ]; then
  lim="{\"major\":$major,\"minor\":$minor,\"rate\":1099511627776}"
  blockio=",\"blockIO\":{\"throttleReadBpsDevice\":[$lim],\"throttleWriteBpsDevice\":[$lim]}"
fi
set_resources "$work/memlimit/config.json" "{\"memory\":{\"limit\":67108864,\"swap\":67108864}$blockio}"

burner_pid=$(start burner)
memlimit_pid=$(start memlimit)
sleep "$settle"

rm -rf "$out"
mkdir -p "$out/proc/self"
# Only the mounts a cgroup reader looks at (and /, /proc, /sys for context): the rest is host detail.
awk '{ for (i = 7; i <= NF && $i != "-"; i++) ; }
     $(i + 1) ~ /^cgroup2?$/ || $5 == "/" || $5 == "/proc" || $5 == "/sys" || $5 == "/sys/fs/cgroup"' \
  /proc/self/mountinfo >"$out/proc/self/mountinfo"

# dirs_of PID: the host directories of PID's cgroups (v1 controllers and cgroup2), from mountinfo.
# mountinfo field 4 is the mount's root inside the hierarchy: the cgroup path is made relative to it.
dirs_of() {
  awk '
    FNR == NR {
      for (i = 7; i <= NF && $i != "-"; i++) ;
      if ($(i + 1) == "cgroup2") { mnt["::v2"] = $5; root["::v2"] = $4 }
      else if ($(i + 1) == "cgroup") {
        n = split($(i + 3), o, ",")
        for (j = 1; j <= n; j++) if (!(o[j] in mnt)) { mnt[o[j]] = $5; root[o[j]] = $4 }
      }
      next
    }
    {
      a = index($0, ":"); rest = substr($0, a + 1); b = index(rest, ":")
      ctrls = substr(rest, 1, b - 1); path = substr(rest, b + 1)
      key = ctrls == "" ? "::v2" : ctrls; sub(/,.*/, "", key)
      if (!(key in mnt)) next
      r = root[key]
      if (r != "/") { if (index(path, r) != 1) next; path = substr(path, length(r) + 1) }
      print mnt[key] path
    }
  ' /proc/self/mountinfo "/proc/$1/cgroup"
}

capture() { # capture NAME PID
  mkdir -p "$out/proc/$2/net"
  cat "/proc/$2/cgroup" >"$out/proc/$2/cgroup"
  cat "/proc/$2/net/dev" >"$out/proc/$2/net/dev"
  dirs_of "$2" | while read -r dir; do
    mkdir -p "$out$dir"
    for f in "$dir"/*; do
      [ -f "$f" ] || continue
      # write-only files (memory.force_empty, cgroup.event_control, ...) fail to read: drop them
      cat "$f" >"$out$f" 2>/dev/null || rm -f "$out$f"
    done
  done
  printf '%s_ID=%s\n%s_PID=%s\n' "$1" "$tag-$1" "$1" "$2" >>"$out/containers.env"
}

capture burner "$burner_pid"
capture memlimit "$memlimit_pid"
cat >"$out/README.md" <<EOF
Captured by scripts/capture-cgroup-fixtures.sh on Linux $(uname -r) with $("$runc" --version | head -1),
a hybrid host: v1 controllers under /sys/fs/cgroup/<controller> plus cgroup2 at /sys/fs/cgroup/unified.
Containers and init pids are in containers.env. Re-run the script to refresh, then update the
expected values in test/unit/cgroups/hybrid-fixture.test.ts.
EOF
echo "captured $tag-burner (pid $burner_pid) and $tag-memlimit (pid $memlimit_pid) into $out"
