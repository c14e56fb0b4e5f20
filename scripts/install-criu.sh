#!/bin/sh
# install-criu.sh: install a CRIU that works on this kernel into a private prefix, for runc --criu.
#
# Debian bookworm's criu 3.17 fails on recent kernels ("Unexpected rt vDSO area bounds"). CRIU 4.1.x
# from Debian trixie works, but installing it with apt would upgrade libc and dozens of packages.
# So, without touching the system's apt sources, state or libc, this script:
#   1. apt-get install iptables (bookworm's, plain apt): CRIU uses it to lock the network on dump;
#   2. gives apt a PRIVATE config (sources dir holding only a trixie entry on this machine's Debian
#      mirror, private lists, cache and an empty dpkg status) and `apt-get download`s criu plus the
#      recursive closure of its library dependencies, trixie's libc6 and loader included;
#   3. `dpkg-deb -x`es them into $PREFIX (default /opt/legacyd-criu), checks with the prefix's own
#      loader (--list) that every library criu needs resolves inside the prefix, and writes the
#      wrapper $PREFIX/bin/criu that runs criu through that loader;
#   4. runs `$PREFIX/bin/criu check` and shows its verdict ("Looks good.").
# Idempotent: if the wrapper exists and `criu check` passes, nothing is downloaded again.
# Run as root on Debian bookworm (amd64). Pass the wrapper to runc: `runc --criu $PREFIX/bin/criu ...`.
# Environment: LEGACYD_CRIU_PREFIX (install prefix), LEGACYD_CRIU_MIRROR (Debian mirror URL,
# default: the one in /etc/apt/sources.list*, else http://deb.debian.org/debian),
# LEGACYD_CRIU_SUITE (default trixie).
set -eu

PREFIX=${LEGACYD_CRIU_PREFIX:-/opt/legacyd-criu}
SUITE=${LEGACYD_CRIU_SUITE:-trixie}
WRAPPER=$PREFIX/bin/criu
LIBDIR=usr/lib/x86_64-linux-gnu
LOADER=$LIBDIR/ld-linux-x86-64.so.2
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

say() { printf 'install-criu: %s\n' "$*"; }
die() { printf 'install-criu: ERROR: %s\n' "$*" >&2; exit 1; }

# criu check, printing its output; status 0 only when it says "Looks good."
criu_check() {
  out=$("$1" check 2>&1) && rc=0 || rc=$?
  printf '%s\n' "$out" | sed 's/^/  criu check: /'
  [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q 'Looks good'
}

[ "$(id -u)" -eq 0 ] || die "must run as root"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 is supported (got $(uname -m))"
for tool in apt-get apt-cache dpkg dpkg-deb mktemp; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: this script needs Debian's apt/dpkg"
done

# 1. iptables from the system's own (bookworm) sources.
if dpkg-query -W -f='${Status}' iptables 2>/dev/null | grep -q 'install ok installed'; then
  say "iptables already installed"
else
  say "installing iptables (system apt)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends iptables >/dev/null 2>&1; then
    apt-get update >/dev/null || die "apt-get update failed"
    apt-get install -y --no-install-recommends iptables >/dev/null || die "apt-get install iptables failed"
  fi
fi

# 2. Already there and working? Then only show the verdict.
if [ -x "$WRAPPER" ] && "$WRAPPER" check >/dev/null 2>&1; then
  say "$WRAPPER already installed ($("$WRAPPER" --version 2>/dev/null | head -n1)); nothing to do"
  criu_check "$WRAPPER" || die "$WRAPPER check failed"
  exit 0
fi

# 3. This machine's Debian mirror (deb822 .sources or one-line .list), security/ports excluded.
mirror=${LEGACYD_CRIU_MIRROR:-}
if [ -z "$mirror" ]; then
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    mirror=$(awk '
      /^[ \t]*#/ { next }
      /^[Uu][Rr][Ii][Ss]:/ { for (i = 2; i <= NF; i++) print $i; next }
      $1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }
    ' "$f" | grep -E '^https?://[^ ]*/debian/?$' | head -n1 || true)
    [ -n "$mirror" ] && break
  done
  mirror=${mirror:-http://deb.debian.org/debian}
fi
mirror=${mirror%/}
[ -r "$KEYRING" ] || die "$KEYRING missing (package debian-archive-keyring)"

work=$(mktemp -d /tmp/legacyd-criu.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/prefix"
: >"$work/status"
echo "deb [signed-by=$KEYRING] $mirror $SUITE main" >"$work/sources.list.d/$SUITE.list"
# apt drops privileges to _apt for downloads: let it write there.
if id _apt >/dev/null 2>&1; then chmod 755 "$work"; chown -R _apt "$work/debs" "$work/lists/partial" "$work/cache/archives/partial"; fi

# Everything private: sources, lists, cache, dpkg status (empty: nothing "installed"), preferences.
set -- \
  -o Dir::Etc::SourceList=/dev/null \
  -o Dir::Etc::SourceParts="$work/sources.list.d" \
  -o Dir::Etc::Preferences=/dev/null \
  -o Dir::Etc::PreferencesParts="$work/sources.list.d" \
  -o Dir::State::Lists="$work/lists" \
  -o Dir::State::status="$work/status" \
  -o Dir::Cache="$work/cache" \
  -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
  -o Acquire::Languages=none \
  -o APT::Update::Post-Invoke-Success::= \
  -o APT::Architecture=amd64 -o APT::Architectures::=amd64

say "fetching the $SUITE package index from $mirror (private apt state in $work)"
apt-get "$@" update >"$work/update.log" 2>&1 || { cat "$work/update.log" >&2; die "apt-get update of $SUITE failed"; }

# criu and the recursive closure of its dependencies, keeping the library packages (what it loads).
pkgs=$(apt-cache "$@" depends --recurse --no-recommends --no-suggests --no-conflicts \
         --no-breaks --no-replaces --no-enhances criu 2>/dev/null |
       grep -E '^(criu|lib[a-z0-9.+-]+|gcc-[0-9]+-base)$' | sort -u) || true
printf '%s\n' $pkgs | grep -qx criu || die "criu not found in $SUITE at $mirror"
printf '%s\n' $pkgs | grep -qx libc6 || die "dependency closure of criu lacks libc6: $pkgs"
say "downloading $(printf '%s\n' $pkgs | wc -l) packages: $(echo $pkgs)"
dl=""
for p in $pkgs; do dl="$dl $p/$SUITE"; done
# shellcheck disable=SC2086
(cd "$work/debs" && apt-get "$@" download $dl) >"$work/download.log" 2>&1 ||
  { cat "$work/download.log" >&2; die "apt-get download failed"; }

say "extracting into $PREFIX"
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$work/prefix" || die "dpkg-deb -x $deb failed"
done
stage=$work/prefix
[ -x "$stage/usr/sbin/criu" ] || die "no usr/sbin/criu in the extracted packages"
[ -x "$stage/$LOADER" ] || die "no $LOADER in the extracted packages"
rm -rf "$stage/usr/share/doc" "$stage/usr/share/man" "$stage/usr/share/lintian" "$stage/usr/share/locale"

# Every library criu links must resolve inside the prefix (not fall back to the system's).
libpath=$stage/$LIBDIR
listing=$("$stage/$LOADER" --library-path "$libpath" --list "$stage/usr/sbin/criu" 2>&1) ||
  { printf '%s\n' "$listing" >&2; die "the prefix loader cannot load criu"; }
bad=$(printf '%s\n' "$listing" | grep '=>' | grep -v "=> $stage/" || true)
[ -z "$bad" ] || { printf '%s\n' "$listing" >&2; die "libraries not resolved inside the prefix: $bad"; }

# Install: the wrapper runs criu through the prefix's own loader and libraries. --library-path
# (not LD_LIBRARY_PATH) so programs criu runs (iptables-restore, ip, ...) keep the system's libc.
mkdir -p "$stage/bin"
cat >"$stage/bin/criu" <<EOF
#!/bin/sh
# CRIU from Debian $SUITE with its own libc, installed by legacyd's scripts/install-criu.sh.
exec "$PREFIX/$LOADER" --library-path "$PREFIX/$LIBDIR" --argv0 criu "$PREFIX/usr/sbin/criu" "\$@"
EOF
chmod 755 "$stage/bin/criu"
rm -rf "$PREFIX.old"
[ ! -e "$PREFIX" ] || mv "$PREFIX" "$PREFIX.old"
mkdir -p "$(dirname "$PREFIX")"
mv "$stage" "$PREFIX"
rm -rf "$PREFIX.old"
say "installed $WRAPPER ($("$WRAPPER" --version 2>/dev/null | head -n1))"

criu_check "$WRAPPER" || die "$WRAPPER check failed: this CRIU does not work on kernel $(uname -r)"
