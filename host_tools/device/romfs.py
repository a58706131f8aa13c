"""ROMFS images whose file data is aligned, so that models run from flash without a copy.

MicroPython (v1.25) can mount a read-only filesystem that lives in memory-mapped flash (`vfs.VfsRom`,
the "ROMFS" partition written by `mpremote romfs deploy`). A file opened there supports the buffer
protocol: `micronn.load("/rom/model.micronn")` takes a memoryview of it, so the model's constants
(weights, biases, tables: nearly all of a model's bytes) stay in flash and only the arena is in RAM.

The constants of a micronn file are 16-byte aligned relative to the file's start (int32 data is
read in place), so the file's data must start at a 16-byte aligned address. `mpremote romfs build`
does not align file data; this writer does, with the format's own means (vfs_rom.c: a varuint may
be padded with leading 0x80 bytes): each file's data-length varuint is padded so that the data
starts at a multiple of `align` from the image start, and ROMFS partitions start on a flash sector.

    micronn romfs -o models.romfs kws.micronn vww.micronn    # then: mpremote romfs deploy models.romfs
"""

import os

HEADER = b"\xd2\xcd\x31"  # the ROMFS record kind 0x14a6b1, encoded
KIND_PADDING, KIND_DATA, KIND_FILE = 1, 2, 5
ALIGN = 16
_LEN_WIDTH = 5  # fixed width of the image and file record lengths (values < 2**35)


def _uint(value, width=0):
    """A varuint (7 bits per byte, most significant first), padded to `width` bytes."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.insert(0, 0x80 | (value & 0x7F))
        value >>= 7
    while len(out) < width:
        out.insert(0, 0x80)
    return bytes(out)


def build_image(files, align=ALIGN):
    """A ROMFS image with the given files at its root: `files` is a list of (name, bytes).
    Every file's data starts at a multiple of `align` bytes from the image's start.
    Returns (image, {name: data offset})."""
    names = set()
    payload = bytearray()
    offsets = {}
    base = len(HEADER) + _LEN_WIDTH  # where the payload starts in the image
    for name, data in files:
        if not name or "/" in name or name in (".", ".."):
            raise ValueError("romfs: bad file name %r (plain names only)" % name)
        if name in names:
            raise ValueError("romfs: %s given twice" % name)
        names.add(name)
        enc = name.encode("utf-8")
        head = _uint(len(enc)) + enc + _uint(KIND_DATA)
        start = base + len(payload) + 1 + _LEN_WIDTH + len(head)  # where the data length begins
        n_len = len(_uint(len(data)))
        pad = (-(start + n_len)) % align
        head += _uint(len(data), n_len + pad)
        rec = head + bytes(data)
        payload += _uint(KIND_FILE) + _uint(len(rec), _LEN_WIDTH) + rec
        offsets[name] = start + n_len + pad
    if (base + len(payload)) % 2:
        payload += _uint(KIND_PADDING) + _uint(1) + b"\0"  # the image's size must be even
    return HEADER + _uint(len(payload), _LEN_WIDTH) + bytes(payload), offsets


def read_image(image):
    """{name: bytes} of the files at an image's root (checks the format; for tests and tools)."""
    def uint(p, end):
        v = 0
        while True:
            if p >= end:
                raise ValueError("romfs: truncated varuint at %d" % p)
            b = image[p]
            p += 1
            v = (v << 7) | (b & 0x7F)
            if not b & 0x80:
                return v, p

    if image[:3] != HEADER:
        raise ValueError("romfs: bad header %r" % bytes(image[:3]))
    n, p = uint(3, len(image))
    end = p + n
    if end > len(image):
        raise ValueError("romfs: image truncated")
    files = {}
    while p < end:
        kind, p = uint(p, end)
        size, p = uint(p, end)
        nxt = p + size
        if kind == KIND_FILE:
            ln, q = uint(p, nxt)
            name = bytes(image[q:q + ln]).decode("utf-8")
            q += ln
            while q < nxt:
                k, q = uint(q, nxt)
                s, q = uint(q, nxt)
                if k == KIND_DATA:
                    files[name] = (q, bytes(image[q:q + s]))
                q += s
        p = nxt
    return files


def add_arguments(p):
    p.add_argument("files", nargs="+", help="files to put at the image's root (models, apps)")
    p.add_argument("-o", "--output", required=True, help="image file to write (e.g. models.romfs)")
    p.add_argument("--align", type=int, default=ALIGN, help="file data alignment in bytes (default 16)")


def run_cli(a):
    files = []
    for f in a.files:
        with open(f, "rb") as fh:
            files.append((os.path.basename(f), fh.read()))
    image, offsets = build_image(files, a.align)
    with open(a.output, "wb") as fh:
        fh.write(image)
    for name, data in files:
        print("  /rom/%-32s %8d bytes at offset %d" % (name, len(data), offsets[name]))
    print("%s: %d bytes (deploy: mpremote romfs deploy %s, or micronn deploy --romfs)" % (
        a.output, len(image), a.output))
    return 0
