#!/usr/bin/env bash
# Sources the MicroPython rp2 port needs beyond the MicroPython tree; idempotent.
#   pico-sdk 2.1.1  Debian trixie binary package pico-sdk-source  -> build/deps/rp2/usr/src/pico-sdk
#   tinyusb 0.18.0  Debian trixie binary package tinyusb-source   -> build/deps/rp2/usr/src/tinyusb
#   mbedtls 3.6.x   Debian trixie source package mbedtls          -> build/deps/rp2/mbedtls
# The rp2 port hard-codes lib/tinyusb and lib/mbedtls inside the MicroPython tree: those two
# empty submodule directories become symlinks to the copies above. The SDK is passed to CMake
# as PICO_SDK_PATH_OVERRIDE (boards/rp2.mk), so lib/pico-sdk stays untouched.
# No git: everything comes from the Debian archive through a private apt configuration
# (the host's own apt state is neither read for sources nor changed).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${MICRONN_BUILD:-$ROOT/build}"
DEPS="$BUILD/deps"
MPY_DIR="$DEPS/micropython"
RP2_DIR="$DEPS/rp2"
APT_DIR="$DEPS/apt-trixie-rp2"
SUITE=trixie

PICO_SDK_DEB_VERSION=2.1.1-1
TINYUSB_DEB_VERSION=0.18.0+dfsg-1
MBEDTLS_SERIES=3.6
STAMP="$RP2_DIR/.micronn-rp2"
WANT="pico-sdk-source=$PICO_SDK_DEB_VERSION tinyusb-source=$TINYUSB_DEB_VERSION mbedtls=$MBEDTLS_SERIES"

log() { echo "deps-rp2: $*" >&2; }
die() { log "$*"; exit 1; }

APT_OPTS=()
apt_setup() {
    [ ${#APT_OPTS[@]} -gt 0 ] && return 0
    command -v apt-get >/dev/null || die "apt-get is required (Debian/Ubuntu host)"
    command -v dpkg >/dev/null || die "dpkg is required"
    mkdir -p "$APT_DIR/lists/partial"
    local mirror arch
    # Same mirror choice as deps.sh: the machine's configured Debian mirror, else deb.debian.org.
    mirror="${MICRONN_DEBIAN_MIRROR:-}"
    if [ -z "$mirror" ]; then
        mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -v '^[[:space:]]*#' \
            | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ' || true)"
    fi
    mirror="${mirror:-http://deb.debian.org/debian}"
    arch="$(dpkg --print-architecture)"
    {
        echo "deb [trusted=yes arch=$arch] ${mirror%/} $SUITE main"
        echo "deb-src [trusted=yes] ${mirror%/} $SUITE main"
    } > "$APT_DIR/sources.list"
    APT_OPTS=(-o Dir::Etc::sourcelist="$APT_DIR/sources.list" -o Dir::Etc::sourceparts=-
        -o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
        -o APT::Architectures::="$arch" -o Acquire::Languages=none -o APT::Sandbox::User=root)
    log "apt index of Debian $SUITE ($mirror)"
    apt-get "${APT_OPTS[@]}" update -qq >/dev/null
}

# fetch_deb PKG VERSION DEST: download one binary package (pinned version, else the suite's
# current one) into DEST/debs and unpack it with dpkg -x into DEST.
fetch_deb() {
    local pkg="$1" ver="$2" dest="$3" deb
    mkdir -p "$dest/debs"
    deb="$(ls "$dest/debs/${pkg}_"*.deb 2>/dev/null | head -1 || true)"
    if [ -z "$deb" ]; then
        apt_setup
        if ! (cd "$dest/debs" && apt-get "${APT_OPTS[@]}" download -qq "$pkg=$ver" >/dev/null 2>&1); then
            log "$pkg $ver is gone from $SUITE; taking its current version"
            (cd "$dest/debs" && apt-get "${APT_OPTS[@]}" download -qq "$pkg" >/dev/null)
        fi
        deb="$(ls "$dest/debs/${pkg}_"*.deb | head -1)"
    fi
    log "unpacking $(basename "$deb")"
    dpkg -x "$deb" "$dest"
}

# fetch_mbedtls DEST: Debian's source package (its orig tarball is the upstream release).
fetch_mbedtls() {
    local dest="$1" tmp orig tree
    tmp="$RP2_DIR/mbedtls-src"
    rm -rf "$tmp" "$dest"
    mkdir -p "$tmp"
    apt_setup
    (cd "$tmp" && apt-get "${APT_OPTS[@]}" source -qq --download-only mbedtls >/dev/null 2>&1) || true
    orig="$(ls "$tmp"/mbedtls_*.orig.tar.* 2>/dev/null | head -1 || true)"
    [ -n "$orig" ] || die "no mbedtls source package in $SUITE"
    case "$(basename "$orig")" in
        mbedtls_"$MBEDTLS_SERIES".*) ;;
        *) die "expected mbedtls $MBEDTLS_SERIES.x, got $(basename "$orig")" ;;
    esac
    tar -C "$tmp" -xf "$orig"
    tree="$(find "$tmp" -maxdepth 1 -mindepth 1 -type d -name 'mbedtls-*' | head -1)"
    [ -n "$tree" ] || die "mbedtls orig tarball unpacked nothing"
    mv "$tree" "$dest"
    rm -rf "$tmp"
    # Only include/ and library/ are compiled; drop the rest (tests alone are 32 MB).
    (cd "$dest" && rm -rf tests programs docs doxygen visualc framework ChangeLog.d)
}

# link_submodule NAME TARGET: replace the empty lib/NAME of the MicroPython tree with a
# relative symlink to TARGET. A populated lib/NAME (e.g. from a git checkout) is kept.
link_submodule() {
    local name="$1" target="$2" link="$MPY_DIR/lib/$1" rel
    rel="$(realpath --relative-to="$MPY_DIR/lib" "$target")"
    if [ -L "$link" ]; then
        [ "$(readlink "$link")" = "$rel" ] && return 0
        rm "$link"
    elif [ -d "$link" ]; then
        if [ -n "$(ls -A "$link")" ]; then
            log "lib/$name is already populated: using it"
            return 0
        fi
        rmdir "$link"
    fi
    ln -s "$rel" "$link"
}

main() {
    [ -f "$MPY_DIR/.micronn-version" ] || die "MicroPython source missing: run host_tools/scripts/deps.sh mpy first"
    if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
        rm -rf "$RP2_DIR/usr"
        mkdir -p "$RP2_DIR"
        fetch_deb pico-sdk-source "$PICO_SDK_DEB_VERSION" "$RP2_DIR"
        fetch_deb tinyusb-source "$TINYUSB_DEB_VERSION" "$RP2_DIR"
        fetch_mbedtls "$RP2_DIR/mbedtls"
        [ -f "$RP2_DIR/usr/src/pico-sdk/pico_sdk_init.cmake" ] || die "pico-sdk-source unpacked no SDK"
        [ -f "$RP2_DIR/usr/src/tinyusb/src/tusb.h" ] || die "tinyusb-source unpacked no tinyusb"
        [ -f "$RP2_DIR/mbedtls/include/mbedtls/version.h" ] || die "mbedtls tree incomplete"
        grep -q 'PICO_SDK_VERSION_MAJOR 2' "$RP2_DIR/usr/src/pico-sdk/pico_sdk_version.cmake" \
            || die "pico-sdk is not 2.x"
        echo "$WANT" > "$STAMP"
    fi
    link_submodule tinyusb "$RP2_DIR/usr/src/tinyusb"
    link_submodule mbedtls "$RP2_DIR/mbedtls"
}

main "$@"
