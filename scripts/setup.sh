#!/bin/sh
# setup.sh: everything legacyd needs on a Debian bookworm machine, as root; idempotent.
#   system packages (runc, busybox-static, iptables, Prometheus + promtool, Python grpcio for
#   the interop tests, gcc for the native helper), a CRIU that works on this kernel
#   (scripts/install-criu.sh), then `npm ci` and the build (TypeScript and the native helper).
set -eu
cd "$(dirname "$0")/.."
PKGS="runc busybox-static iptables prometheus python3-grpcio python3-grpc-tools gcc libc6-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup: need root to install:$missing" >&2; exit 1; fi
  echo "setup: installing$missing"
  apt-get update -q >/dev/null
  # policy-rc.d keeps Debian's prometheus service from starting: tests start their own, on loopback.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
sh scripts/install-criu.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  # A registry mirror that lacks other platforms' optional packages (rollup's, esbuild's) makes
  # npm ci refuse the lock as "out of sync"; npm install then installs exactly the same locked
  # versions without rewriting the lock.
  npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || {
    echo "setup: npm ci refused the lock (registry without other platforms' optional packages); npm install from the lock"
    npm install --no-audit --no-fund --loglevel=error
  }
fi
echo "setup: build"
npm run --silent build
