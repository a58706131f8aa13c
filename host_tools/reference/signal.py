"""numpy reference kernels of the signal area (same names and argument order as the bindings in
firmware/_micronn/bind_signal.c). Re-exported by host_tools.reference (its __init__).

The audio front end of TFLite Micro's signal library (the `Signal*` custom ops of
audio_preprocessor_int8): window, FFT auto scale, int16 real FFT (KISS FFT fixed-point 16-bit:
radix-4/2 decimation in time with every intermediate rounded and stored as int16), energy, mel
filter bank, square root, spectral subtraction (noise estimate state), PCAN gain control and log.
All arithmetic is integer and reproduces TFLite Micro bit for bit, including int16/uint32/uint64
wrap-around. Integer options travel in an int32 `params` array (layouts in micronn.h, mirrored
below); the host-side helpers at the end compute the constants (FFT twiddles, log table).
"""

import math

import numpy as np

from ..ops import table
from .args import _vbuf
from .args import _vcount as _count
from .args import _vparams as _params
from .layouts import (  # noqa: F401 (re-exported)
    SPECSUB_ALT_ONE_MINUS_SMOOTHING,
    SPECSUB_ALT_SMOOTHING,
    SPECSUB_CLAMPING,
    SPECSUB_MIN_SIGNAL_REMAINING,
    SPECSUB_NUM_CHANNELS,
    SPECSUB_ONE_MINUS_SMOOTHING,
    SPECSUB_SMOOTHING,
    SPECSUB_SMOOTHING_BITS,
    SPECSUB_SPECTRAL_SUBTRACTION_BITS,
    WINDOW_SHIFT,
)

__all__ = [
    "signal_window_s16", "signal_fft_auto_scale_s16", "signal_rfft_s16", "signal_energy_s16",
    "signal_filter_bank", "signal_filter_bank_sqrt", "signal_spectral_subtraction", "signal_pcan",
    "signal_filter_bank_log",
    "WINDOW_SPEC", "RFFT_SPEC", "ENERGY_SPEC", "FILTER_BANK_SPEC", "SPECSUB_SPEC", "PCAN_SPEC",
    "LOG_SPEC", "rfft_twiddles", "rfft_scratch_count", "LOG_LUT", "PCAN_LUT_SIZE",
]

_I32_MAX = (1 << 31) - 1


def _wrap16(x):
    return ((np.asarray(x, dtype=np.int64) + 32768) & 0xFFFF) - 32768


_M32 = (1 << 32) - 1


def _msb32(v):
    """Most significant bit (1-based) of a uint32 as TFLM's MostSignificantBit32 built with GCC:
    32 for 0."""
    return v.bit_length() if v else 32


# ---------------------------------------------------------------------------
# params layouts (micronn.h MN_WINDOW_*, MN_RFFT_*, ...)

WINDOW_SPEC = table.WINDOW.ranges()  # the op spec (host_tools/ops/table.py)

RFFT_SPEC = table.RFFT.ranges()  # the op spec (host_tools/ops/table.py)

ENERGY_SPEC = table.ENERGY.ranges()  # the op spec (host_tools/ops/table.py)

FILTER_BANK_SPEC = table.FBANK.ranges()  # the op spec (host_tools/ops/table.py)

SPECSUB_SPEC = table.SPECSUB.ranges()  # the op spec (host_tools/ops/table.py)

PCAN_SPEC = table.PCAN.ranges()  # the op spec (host_tools/ops/table.py)
PCAN_LUT_SIZE = 125  # 4 * 32 - 6 + 3 entries: WideDynamicFunction reads up to lut[4 * 32 - 4]

LOG_SPEC = table.FBLOG.ranges()  # the op spec (host_tools/ops/table.py)


# ---------------------------------------------------------------------------
# Window: output = sat16((input * window) >> shift), over each row of len(window) samples.

def signal_window_s16(input, weights, output, params):
    p = _params(params, WINDOW_SPEC, 1)
    n = _count(weights, "weights", "int16")
    total = _count(input, "input", "int16")
    if n == 0 or total % n:
        raise ValueError("input: expected int16 array of a multiple of %d (window length), got %d" % (n, total))
    x = _vbuf(input, "input", "int16", total).astype(np.int64).reshape(-1, n)
    w = _vbuf(weights, "weights", "int16", n).astype(np.int64)
    out = _vbuf(output, "output", "int16", total, writable=True)
    out[:] = np.clip((x * w) >> p[WINDOW_SHIFT], -32768, 32767).reshape(-1)
    return output


# FFT auto scale: shift the block left so its largest magnitude uses 15 bits; scale_bits = shift.
def signal_fft_auto_scale_s16(input, output, scale_bits):
    n = _count(input, "input", "int16")
    x = _vbuf(input, "input", "int16", n).astype(np.int64)
    out = _vbuf(output, "output", "int16", n, writable=True)
    sb = _vbuf(scale_bits, "scale_bits", "int32", 1, writable=True)
    if not np.any(x == -32768):
        m = int(np.abs(x).max()) if n else 0
    else:  # MaxAbs16 keeps its running maximum in an int16: |-32768| wraps to -32768
        m = 0
        for v in x.tolist():
            if v > m:
                m = v
            elif -v > m:
                m = int(_wrap16(-v))
    bits = max(16 - _msb32(m & _M32) - 1, 0)
    out[:] = _wrap16(x << bits)
    sb[0] = bits
    return output


# ---------------------------------------------------------------------------
# Real FFT (int16): KISS FFT fixed-point 16-bit, as TFLite Micro's signal library builds it.

def _factors(n):
    """KISS FFT factorisation: powers of 4 first, then 2 (micronn supports powers of two)."""
    out = []
    while n > 1:
        p = 4 if n % 4 == 0 else 2
        n //= p
        out.append((p, n))
    return out


def rfft_twiddles(fft_length):
    """int16 constant of the real FFT: the ncfft-point complex twiddles then the ncfft/2 'super
    twiddles' of the real-input split (interleaved real, imag), as kiss_fftr_alloc computes them:
    floor(0.5 + 32767 * cos/sin(phase)) in double precision."""
    if fft_length < 4 or fft_length & (fft_length - 1):
        raise ValueError("fft_length %d: a power of two >= 4 is supported" % fft_length)
    ncfft = fft_length // 2
    vals = []
    for i in range(ncfft):
        phase = -2 * math.pi * i / ncfft
        vals += [math.floor(0.5 + 32767 * math.cos(phase)), math.floor(0.5 + 32767 * math.sin(phase))]
    for i in range(ncfft // 2):
        phase = -math.pi * ((i + 1) / ncfft + 0.5)
        vals += [math.floor(0.5 + 32767 * math.cos(phase)), math.floor(0.5 + 32767 * math.sin(phase))]
    return np.array(vals, dtype=np.int16)


def rfft_scratch_count(fft_length):
    """int16 elements of the rfft scratch: the zero-padded frame and the complex sub-FFT output."""
    return 2 * fft_length


_PERM = {}


def _digit_reverse(n):
    """Output position k of the complex FFT takes input sample perm[k] (KISS FFT's recursion)."""
    if n not in _PERM:
        facs = _factors(n)
        perm = []

        def work(f, fstride, depth):
            p, m = facs[depth]
            for q in range(p):
                if m == 1:
                    perm.append(f + q * fstride)
                else:
                    work(f + q * fstride, fstride * p, depth + 1)

        work(0, 1, 0)
        _PERM[n] = np.array(perm, dtype=np.int64)
    return _PERM[n]


def _sround(x):
    return _wrap16((x + (1 << 14)) >> 15)


def _cmul(ar, ai, br, bi):
    return _sround(ar * br - ai * bi), _sround(ar * bi + ai * br)


def _fixdiv(x, k):
    return _sround(x * (32767 // k))


def _cfft(zr, zi, tw):
    """Forward complex FFT of int16 data (zr, zi: int64 arrays), KISS FFT fixed-point arithmetic."""
    n = zr.shape[-1]
    perm = _digit_reverse(n)
    fr, fi = zr[..., perm], zi[..., perm]
    twr, twi = tw[0::2].astype(np.int64), tw[1::2].astype(np.int64)
    facs = _factors(n)
    fstrides = [1]
    for p, _ in facs[:-1]:
        fstrides.append(fstrides[-1] * p)
    for (p, m), fstride in reversed(list(zip(facs, fstrides))):
        shape = fr.shape[:-1] + (fstride, p, m)
        fr, fi = fr.reshape(shape), fi.reshape(shape)
        k = np.arange(m)
        if p == 2:
            ar, ai = _fixdiv(fr[..., 0, :], 2), _fixdiv(fi[..., 0, :], 2)
            br, bi = _fixdiv(fr[..., 1, :], 2), _fixdiv(fi[..., 1, :], 2)
            tr, ti = _cmul(br, bi, twr[k * fstride], twi[k * fstride])
            out = [(_wrap16(ar + tr), _wrap16(ai + ti)), (_wrap16(ar - tr), _wrap16(ai - ti))]
        else:
            f = [(_fixdiv(fr[..., q, :], 4), _fixdiv(fi[..., q, :], 4)) for q in range(4)]
            s0 = _cmul(*f[1], twr[k * fstride], twi[k * fstride])
            s1 = _cmul(*f[2], twr[2 * k * fstride], twi[2 * k * fstride])
            s2 = _cmul(*f[3], twr[3 * k * fstride], twi[3 * k * fstride])
            s5 = (_wrap16(f[0][0] - s1[0]), _wrap16(f[0][1] - s1[1]))
            f0 = (_wrap16(f[0][0] + s1[0]), _wrap16(f[0][1] + s1[1]))
            s3 = (_wrap16(s0[0] + s2[0]), _wrap16(s0[1] + s2[1]))
            s4 = (_wrap16(s0[0] - s2[0]), _wrap16(s0[1] - s2[1]))
            out2 = (_wrap16(f0[0] - s3[0]), _wrap16(f0[1] - s3[1]))
            out0 = (_wrap16(f0[0] + s3[0]), _wrap16(f0[1] + s3[1]))
            out1 = (_wrap16(s5[0] + s4[1]), _wrap16(s5[1] - s4[0]))
            out3 = (_wrap16(s5[0] - s4[1]), _wrap16(s5[1] + s4[0]))
            out = [out0, out1, out2, out3]
        fr = np.stack([o[0] for o in out], axis=-2).reshape(shape[:-3] + (n,))
        fi = np.stack([o[1] for o in out], axis=-2).reshape(shape[:-3] + (n,))
    return fr, fi


def signal_rfft_s16(input, twiddles, scratch, output, params):
    """Real FFT of each row of input_length int16 samples, zero-padded to fft_length; output
    fft_length / 2 + 1 complex int16 (interleaved) per row."""
    p = _params(params, RFFT_SPEC, 2)
    nfft, in_len = p
    if nfft & (nfft - 1) or in_len > nfft:
        raise ValueError("params: fft_length %d must be a power of two >= input_length %d" % (nfft, in_len))
    ncfft = nfft // 2
    total = _count(input, "input", "int16")
    if total == 0 or total % in_len:
        raise ValueError("input: expected int16 array of a multiple of %d (input_length), got %d" % (in_len, total))
    rows = total // in_len
    x = _vbuf(input, "input", "int16", total).astype(np.int64).reshape(rows, in_len)
    tw = _vbuf(twiddles, "twiddles", "int16", 3 * ncfft).astype(np.int64)
    _vbuf(scratch, "scratch", "int16", rfft_scratch_count(nfft), writable=True)
    out = _vbuf(output, "output", "int16", rows * 2 * (ncfft + 1), writable=True)
    frame = np.zeros((rows, nfft), dtype=np.int64)
    frame[:, :in_len] = x
    zr, zi = _cfft(frame[:, 0::2], frame[:, 1::2], tw[:2 * ncfft])
    sr = tw[2 * ncfft::2]
    si = tw[2 * ncfft + 1::2]
    res_r = np.zeros((rows, ncfft + 1), dtype=np.int64)
    res_i = np.zeros((rows, ncfft + 1), dtype=np.int64)
    dr, di = _fixdiv(zr[:, 0], 2), _fixdiv(zi[:, 0], 2)
    res_r[:, 0] = _wrap16(dr + di)
    res_r[:, ncfft] = _wrap16(dr - di)
    k = np.arange(1, ncfft // 2 + 1)
    pkr, pki = _fixdiv(zr[:, k], 2), _fixdiv(zi[:, k], 2)
    nkr, nki = _fixdiv(zr[:, ncfft - k], 2), _fixdiv(_wrap16(-zi[:, ncfft - k]), 2)
    f1r, f1i = _wrap16(pkr + nkr), _wrap16(pki + nki)
    f2r, f2i = _wrap16(pkr - nkr), _wrap16(pki - nki)
    twr, twi = _cmul(f2r, f2i, sr[k - 1], si[k - 1])
    res_r[:, k] = _wrap16((f1r + twr) >> 1)
    res_i[:, k] = _wrap16((f1i + twi) >> 1)
    # For k == ncfft / 2 both writes hit the same bin: the second one (below) stays.
    res_r[:, ncfft - k] = _wrap16((f1r - twr) >> 1)
    res_i[:, ncfft - k] = _wrap16((twi - f1i) >> 1)
    out[:] = np.stack([res_r, res_i], axis=-1).reshape(-1)
    return output


# Energy: |X[i]|^2 for start <= i < end as uint32 (int32 products, wrapping); other bins 0.
def signal_energy_s16(input, output, params):
    start, end = _params(params, ENERGY_SPEC, 2)
    n = _count(output, "output", "uint32")
    if not start <= end <= n:
        raise ValueError("params: start_index %d, end_index %d outside [0, %d]" % (start, end, n))
    x = _vbuf(input, "input", "int16", 2 * n).astype(np.int64).reshape(n, 2)
    out = _vbuf(output, "output", "uint32", n, writable=True)
    e = (x[:, 0] * x[:, 0] + x[:, 1] * x[:, 1]) & _M32
    out[:] = 0
    out[start:end] = e[start:end]
    return output


def signal_filter_bank(input, weights, unweights, freq_starts, weight_starts, widths, output, params):
    """Mel filter bank: uint64 sums of int16 weight * uint32 energy over each channel's bins
    (channel c gets weights of its own bins and unweights of the next channel's bins)."""
    nch = _params(params, FILTER_BANK_SPEC, 1)[0]
    n_in = _count(input, "input", "uint32")
    n_w = _count(weights, "weights", "int16")
    x = [int(v) for v in _vbuf(input, "input", "uint32", n_in)]
    w = [int(v) for v in _vbuf(weights, "weights", "int16", n_w)]
    uw = [int(v) for v in _vbuf(unweights, "unweights", "int16", n_w)]
    fs = [int(v) for v in _vbuf(freq_starts, "channel_frequency_starts", "int16", nch + 1)]
    ws = [int(v) for v in _vbuf(weight_starts, "channel_weight_starts", "int16", nch + 1)]
    wd = [int(v) for v in _vbuf(widths, "channel_widths", "int16", nch + 1)]
    out = _vbuf(output, "output", "uint64", nch, writable=True)
    for c in range(nch + 1):
        if fs[c] < 0 or ws[c] < 0 or wd[c] < 0 or fs[c] + wd[c] > n_in or ws[c] + wd[c] > n_w:
            raise ValueError("channel %d: frequency start %d, weight start %d, width %d outside the "
                             "input (%d) or weights (%d)" % (c, fs[c], ws[c], wd[c], n_in, n_w))
    m64 = (1 << 64) - 1
    acc_w = acc_u = 0
    for c in range(nch + 1):
        for j in range(wd[c]):
            e = x[fs[c] + j]
            acc_w += w[ws[c] + j] * e
            acc_u += uw[ws[c] + j] * e
        if c > 0:
            out[c - 1] = acc_w & m64
        acc_w, acc_u = acc_u, 0
    return output


def _isqrt_tflm(v):
    """TFLM's Sqrt64 (Sqrt32 when the value fits in 32 bits): bitwise square root, rounded up when
    the remainder exceeds the root (and the root is not saturated)."""
    if v >> 32 == 0:
        if v == 0:
            return 0
        width, top = 32, 0xFFFF
    else:
        width, top = 64, 0xFFFFFFFF
    msb = v.bit_length()
    max_bit = (width - msb) | 1
    bit = 1 << (width - 1 - max_bit)
    res = 0
    for _ in range((width - 1 - max_bit) // 2 + 1):
        if v >= res + bit:
            v -= res + bit
            res = (res >> 1) + bit
        else:
            res >>= 1
        bit >>= 2
    if v > res and res != top:
        res += 1
    return res


def signal_filter_bank_sqrt(input, scale_bits, output):
    n = _count(input, "input", "uint64")
    x = _vbuf(input, "input", "uint64", n)
    s = int(_vbuf(scale_bits, "scale_bits", "int32", 1)[0])
    if not 0 <= s <= 31:
        raise ValueError("scale_bits: %d out of range [0, 31]" % s)
    out = _vbuf(output, "output", "uint32", n, writable=True)
    out[:] = [_isqrt_tflm(int(v)) >> s for v in x]
    return output


def signal_spectral_subtraction(input, output, noise_estimate, state, params):
    """Noise estimate (state, a smoothed copy of the input per channel) subtracted from the input,
    floored at min_signal_remaining; noise_estimate gets a copy of the new state."""
    p = _params(params, SPECSUB_SPEC, 9)
    n = p[SPECSUB_NUM_CHANNELS]
    x = _vbuf(input, "input", "uint32", n).astype(np.uint64)
    out = _vbuf(output, "output", "uint32", n, writable=True)
    ne = _vbuf(noise_estimate, "noise_estimate", "uint32", n, writable=True)
    st = _vbuf(state, "state", "uint32", n, writable=True)
    sb, ssb = p[SPECSUB_SMOOTHING_BITS], p[SPECSUB_SPECTRAL_SUBTRACTION_BITS]
    odd = (np.arange(n) & 1).astype(bool)
    smooth = np.where(odd, p[SPECSUB_ALT_SMOOTHING], p[SPECSUB_SMOOTHING]).astype(object)
    one_minus = np.where(odd, p[SPECSUB_ALT_ONE_MINUS_SMOOTHING], p[SPECSUB_ONE_MINUS_SMOOTHING]).astype(object)
    xs = [(int(v) << sb) & _M32 for v in x]
    m64 = (1 << 64) - 1
    for i in range(n):
        est = (((xs[i] * smooth[i]) & m64) + ((int(st[i]) * one_minus[i]) & m64)) & m64
        est = (est >> ssb) & _M32
        st[i] = est
        if est > xs[i]:
            est = xs[i]
            if p[SPECSUB_CLAMPING]:
                st[i] = est
        floor = ((int(x[i]) * p[SPECSUB_MIN_SIGNAL_REMAINING]) >> ssb) & _M32
        sub = (xs[i] - est) >> sb
        out[i] = max(sub, floor)
    ne[:] = st
    return output


def _wide_dynamic(x, lut):
    if x <= 2:
        return lut[x]
    interval = x.bit_length()
    base = 4 * interval - 6
    frac = ((x << (11 - interval)) if interval < 11 else (x >> (interval - 11))) & 0x3FF
    r = (lut[base + 2] * frac) >> 5
    r = _wrap32(r + ((lut[base + 1] << 5) & _M32))
    r = _wrap32(r * frac)
    r = _wrap32(r + (1 << 14)) >> 15
    r += lut[base]
    return ((r + 32768) & 0xFFFF) - 32768


def _wrap32(v):
    return ((v + (1 << 31)) & _M32) - (1 << 31)


def signal_pcan(input, noise_estimate, gain_lut, output, params):
    """Per-channel automatic gain control (PCAN): snr = input * gain(noise) >> snr_shift, then the
    'shrink' curve (x^2/4 below 2, x - 1 above; 12 -> 6 fractional bits)."""
    shift = _params(params, PCAN_SPEC, 1)[0]
    n = _count(input, "input", "uint32")
    x = _vbuf(input, "input", "uint32", n)
    ne = _vbuf(noise_estimate, "noise_estimate", "uint32", n)
    nl = _count(gain_lut, "gain_lut", "int16")
    if nl < PCAN_LUT_SIZE:
        raise ValueError("gain_lut: expected int16 array of at least %d, got %d" % (PCAN_LUT_SIZE, nl))
    lut = [int(v) for v in _vbuf(gain_lut, "gain_lut", "int16", nl)]
    out = _vbuf(output, "output", "uint32", n, writable=True)
    res = []
    for i in range(n):
        gain = _wide_dynamic(int(ne[i]), lut) & _M32
        snr = ((int(x[i]) * gain) >> shift) & _M32
        if snr < (2 << 12):
            res.append(((snr * snr) & _M32) >> 20)
        else:
            res.append(((snr >> 6) - 64) & _M32)
    out[:] = res
    return output


# log2(1 + i/128) - i/128 in 1/65536 units, rounded (129 entries + one padding 0).
LOG_LUT = tuple(int(round(65536 * (math.log2(1 + i / 128) - i / 128))) for i in range(129)) + (0,)


def _log32(x, out_scale):
    integer = x.bit_length() - 1
    frac = x - (1 << integer)
    frac = frac << (16 - integer) if integer < 16 else frac >> (integer - 16)
    seg = frac >> 9
    c0, c1 = LOG_LUT[seg], LOG_LUT[seg + 1]
    rel = ((c1 - c0) * (frac - 512 * seg)) >> 16
    fraction = (frac + c0 + rel) & _M32
    log2 = ((integer << 16) + fraction) & _M32
    loge = ((45426 * log2 + 32768) >> 16) & _M32
    return ((out_scale * loge + 32768) & _M32) >> 16


def signal_filter_bank_log(input, output, params):
    bits, scale = _params(params, LOG_SPEC, 2)
    n = _count(input, "input", "uint32")
    x = _vbuf(input, "input", "uint32", n)
    out = _vbuf(output, "output", "int16", n, writable=True)
    res = []
    for v in x:
        s = (int(v) << bits) & _M32
        res.append(min(_log32(s, scale), 32767) if s > 1 else 0)
    out[:] = res
    return output
