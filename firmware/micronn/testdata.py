"""Deterministic data for device tests and benchmarks (same bytes on every board and CPython)."""


def xorshift32(state):
    state ^= (state << 13) & 0xFFFFFFFF
    state ^= state >> 17
    state ^= (state << 5) & 0xFFFFFFFF
    return state


def rand_bytes(n, seed, lo=-128, hi=127):
    """n pseudo-random int8 values in [lo, hi] as a bytearray (two's complement bytes)."""
    out = bytearray(n)
    s = (seed * 2654435761 + 1) & 0xFFFFFFFF or 1
    span = hi - lo + 1
    for i in range(n):
        s = xorshift32(s)
        out[i] = (lo + (s >> 8) % span) & 0xFF
    return out


def rand_ints(n, seed, lo, hi):
    """n pseudo-random ints in [lo, hi] (a list)."""
    out = []
    s = (seed * 2246822519 + 7) & 0xFFFFFFFF or 1
    span = hi - lo + 1
    for _ in range(n):
        s = xorshift32(s)
        out.append(lo + (s >> 4) % span)
    return out


def fnv1a(buf):
    """32-bit FNV-1a hash of a bytes-like object: device tests print it instead of whole tensors."""
    h = 0x811C9DC5
    for b in bytes(buf):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h
