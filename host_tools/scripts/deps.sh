#!/usr/bin/env bash
# Obtain everything micronn needs; idempotent. Nothing is vendored.
#   deps.sh apt      Debian packages (cross compiler, newlib, QEMU)
#   deps.sh venv     project virtualenv with the Python packages
#   deps.sh mpy      MicroPython v1.25.0 source in build/deps/micropython
#   deps.sh emu      the rp2040js emulator (npm ci in boards/RPI_PICO/emu, pinned by its lock file)
#   deps.sh all      all four
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${MICRONN_BUILD:-$ROOT/build}"
DEPS="$BUILD/deps"
MPY_VERSION=1.25.0
MPY_DIR="$DEPS/micropython"
VENV="$BUILD/venv"
APT_PACKAGES="gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm gcc-xtensa-lx106 dpkg-dev"

log() { echo "deps: $*" >&2; }

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

deps_apt() {
    local missing=""
    for p in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    for t in arm-none-eabi-gcc qemu-system-arm xtensa-lx106-elf-gcc; do
        command -v "$t" >/dev/null || missing="$missing $t"
    done
    # node and npm (for the rp2040js emulator, rp2040js 1.4.1 needs node >= 18): whichever
    # installation is on the PATH will do; Debian's nodejs/npm packages when there is none.
    local node_missing=""
    command -v node >/dev/null && command -v npm >/dev/null || node_missing=" nodejs npm"
    [ -z "$missing$node_missing" ] && return 0
    log "installing Debian packages:$missing$node_missing"
    sudo_ apt-get update -qq
    if [ -n "$missing" ]; then
        sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
    fi
    if [ -n "$node_missing" ]; then
        sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
}

# The RP2040 emulator for board RPI_PICO: rp2040js at the version package-lock.json pins
# (npm ci: exactly the lock file, integrity-checked), in boards/RPI_PICO/emu/node_modules.
EMU_DIR="$ROOT/boards/RPI_PICO/emu"
deps_emu() {
    local stamp="$EMU_DIR/node_modules/.micronn-deps"
    local want
    want="$(cat "$EMU_DIR/package.json" "$EMU_DIR/package-lock.json" | sha256sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    command -v npm >/dev/null || { log "npm not found: run make deps-apt"; exit 1; }
    log "installing rp2040js (npm ci in boards/RPI_PICO/emu)"
    (cd "$EMU_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" > "$stamp"
}

deps_venv() {
    local stamp="$VENV/.micronn-deps"
    local want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    log "creating virtualenv $VENV"
    python3 -m venv "$VENV"
    # pip's notes about this machine's local index mirrors are noise here.
    "$VENV/bin/pip" install -q --upgrade pip > /dev/null 2> >(grep -v "is ignored: it is neither" >&2)
    # tflite-micro publishes only dev builds: --pre is required.
    "$VENV/bin/pip" install -q --pre -e "$ROOT[dev]" 2> >(grep -vE "is ignored: it is neither|BuildBackendWarning|^ *!!|^ *\*+$|Editable installation|careful with folders|name as your package|precedence during imports|with strategy, WheelFile|^ *$" >&2)
    echo "$want" > "$stamp"
}

# MicroPython: the git tag where git hosts are reachable, else Debian trixie's
# source package micropython 1.25.0 (pristine upstream tree).
deps_mpy() {
    if [ -f "$MPY_DIR/.micronn-version" ] && [ "$(cat "$MPY_DIR/.micronn-version")" = "$MPY_VERSION" ]; then
        return 0
    fi
    rm -rf "$MPY_DIR" "$DEPS/mpy-src"
    mkdir -p "$DEPS"
    if timeout 30 git clone -q --depth 1 -b "v$MPY_VERSION" https://github.com/micropython/micropython.git "$MPY_DIR" 2>/dev/null; then
        log "MicroPython v$MPY_VERSION from git"
        (cd "$MPY_DIR" && git submodule update --init --depth 1 lib/berkeley-db-1.xx lib/micropython-lib >/dev/null 2>&1 || true)
    else
        log "git host unreachable: MicroPython $MPY_VERSION from Debian trixie's source package"
        fetch_debian_source micropython "$MPY_VERSION" "$DEPS/mpy-src"
        local tree
        tree="$(find "$DEPS/mpy-src" -maxdepth 1 -mindepth 1 -type d -name 'micropython-*' | head -1)"
        [ -n "$tree" ] || { log "no micropython tree unpacked"; exit 1; }
        mv "$tree" "$MPY_DIR"
        rm -rf "$DEPS/mpy-src"
    fi
    # Verify the version we got.
    grep -q "#define MICROPY_VERSION_MAJOR 1" "$MPY_DIR/py/mpconfig.h"
    grep -q "#define MICROPY_VERSION_MINOR 25" "$MPY_DIR/py/mpconfig.h"
    grep -q "#define MICROPY_VERSION_MICRO 0" "$MPY_DIR/py/mpconfig.h"
    # Any frozen manifest makes the build look for micropython-lib's README.
    mkdir -p "$DEPS/mpy-lib-stub"
    echo "stub: micropython-lib is not used by micronn" > "$DEPS/mpy-lib-stub/README.md"
    echo "$MPY_VERSION" > "$MPY_DIR/.micronn-version"
}

# fetch_debian_source PKG VERSION DEST: apt-get source from trixie using a private apt config.
fetch_debian_source() {
    local pkg="$1" ver="$2" dest="$3"
    local cfg="$DEPS/apt-trixie"
    mkdir -p "$cfg/lists/partial" "$dest"
    local mirror
    # The machine's configured Debian mirror (deb822 "URIs:" or one-line "deb" entries).
    mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | grep -v '^[[:space:]]*#' \
        | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ' || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    echo "deb-src [trusted=yes] ${mirror%/} trixie main" > "$cfg/sources.list"
    local opts=(-o Dir::Etc::sourcelist="$cfg/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$cfg/lists" -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" update -qq >/dev/null
    (cd "$dest" && apt-get "${opts[@]}" source -qq --download-only "$pkg=$ver*" >/dev/null 2>&1 || apt-get "${opts[@]}" source -qq --download-only "$pkg" >/dev/null)
    local orig
    orig="$(ls "$dest"/${pkg}_*.orig.tar.* 2>/dev/null | head -1)"
    [ -n "$orig" ] || { log "no orig tarball for $pkg"; exit 1; }
    tar -C "$dest" -xf "$orig"
}

case "${1:-all}" in
    apt) deps_apt ;;
    venv) deps_venv ;;
    mpy) deps_mpy ;;
    emu) deps_emu ;;
    all) deps_apt; deps_venv; deps_mpy; deps_emu ;;
    *) echo "usage: $0 apt|venv|mpy|emu|all" >&2; exit 2 ;;
esac
