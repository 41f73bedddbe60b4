#!/usr/bin/env bash
# Create (once) a Debian 13 (trixie) chroot with swiftlang (Swift 6, Foundation, XCTest) for the
# Swift tests; Debian 12 has no Swift. Reused when present. Needs root.
#   TSUNAGU_CACHE  parent directory (default /var/cache/tsunagu); the chroot is $TSUNAGU_CACHE/swift-trixie
set -euo pipefail
CACHE="${TSUNAGU_CACHE:-/var/cache/tsunagu}"
CHROOT="$CACHE/swift-trixie"
# The readiness mark is written last. (Testing `-x $CHROOT/usr/bin/swift` from the host does not
# work: it is an absolute symlink into /usr/libexec, resolved against the host's root.)
READY="$CHROOT/.tsunagu-swift-ready"
SWIFT_BIN="$CHROOT/$(readlink "$CHROOT/usr/bin/swift" 2>/dev/null || echo usr/bin/swift)"
if [ ! -f "$READY" ] && [ -x "$SWIFT_BIN" ] && [ -f "$CHROOT/var/lib/dpkg/info/swiftlang.list" ]; then
    touch "$READY"   # a chroot made before the mark existed
fi
if [ ! -f "$READY" ]; then
    command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap; }
    MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    [ -n "$MIRROR" ] || MIRROR=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
    if mountpoint -q "$CHROOT/proc"; then umount "$CHROOT/proc"; fi   # never rm -rf through /proc
    rm -rf "$CHROOT"
    mkdir -p "$CHROOT"
    debootstrap --variant=minbase trixie "$CHROOT" "$MIRROR"
    cp /etc/resolv.conf "$CHROOT/etc/"
    mount --bind /proc "$CHROOT/proc"
    trap 'umount "$CHROOT/proc" 2>/dev/null || true' EXIT
    chroot "$CHROOT" apt-get update -qq
    chroot "$CHROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq swiftlang
    chroot "$CHROOT" apt-get clean
    chroot "$CHROOT" swift --version
    touch "$READY"
    umount "$CHROOT/proc"
    trap - EXIT
fi
echo "swift-chroot.sh: $CHROOT ready"
