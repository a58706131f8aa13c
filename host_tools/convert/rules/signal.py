"""Converter rules of the signal area: TFLite Micro's audio front end (`Signal*` CUSTOM ops).

Each rule reads the op's flexbuffer custom options (a map; TFLite Micro indexes its values in
key order) into an int32 params constant (layouts in micronn.h), precomputes constants (FFT
twiddles) and adds arena tensors the kernels need: the rfft scratch frame, and the noise estimate
of spectral subtraction as a variable tensor (state kept across runs, zeroed by Model.reset(),
as TFLite Micro keeps it in a persistent buffer zeroed at Prepare and on reset).
"""

import numpy as np
from flatbuffers import flexbuffers
from micronn import oplist

from ...ops import table
from ...reference import signal as rs
from ..graph import ConvertError, Tensor
from ..registry import custom_rule

I16, I32, U32, U64 = oplist.INT16, oplist.INT32, oplist.UINT32, oplist.UINT64


def options(op):
    """The custom options of `op` as a dict (empty when there are none)."""
    raw = op.customOptions
    if raw is None or not len(raw):
        return {}
    try:
        opts = flexbuffers.Loads(bytes(np.asarray(raw, dtype=np.uint8)))
    except Exception as e:  # the flexbuffers reader raises many kinds
        raise ConvertError("unreadable custom options: %s" % e) from None
    if not isinstance(opts, dict):
        raise ConvertError("custom options are not a flexbuffer map")
    return opts


def _opt(opts, key, lo=None, hi=None):
    if key not in opts:
        raise ConvertError("custom option %r missing" % key)
    v = opts[key]
    if isinstance(v, bool):
        v = int(v)
    if not isinstance(v, int):
        raise ConvertError("custom option %r: expected an integer, got %r" % (key, v))
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ConvertError("custom option %r: %d out of range [%s, %s]" % (key, v, lo, hi))
    return v


def _io(c, op, n_in, n_out):
    if len(op.inputs) != n_in or len(op.outputs) != n_out:
        raise ConvertError("expects %d inputs and %d outputs, got %d and %d"
                           % (n_in, n_out, len(op.inputs), len(op.outputs)))
    return [c.tensor(i) for i in op.inputs], [c.tensor(i) for i in op.outputs]


def _dtypes(ts, want, what):
    for t, d in zip(ts, want):
        if t.dtype != d:
            raise ConvertError("%s %s: %s, expected %s" % (what, t.name, oplist.DTYPE_NAMES[t.dtype],
                                                           oplist.DTYPE_NAMES[d]))


def _count(t):
    return t.nbytes // oplist.DTYPE_SIZES[t.dtype]


def _spec_check(vals, spec):
    for v, (name, lo, hi) in zip(vals, spec):
        if not lo <= v <= hi:
            raise ConvertError("%s %d out of range [%d, %d]" % (name, v, lo, hi))


@custom_rule("SignalWindow")
def _window(c, n, op):
    (x, w), (y,) = _io(c, op, 2, 1)
    _dtypes([x, w, y], [I16, I16, I16], "tensor")
    shift = _opt(options(op), "shift", 0, 31)
    if len(w.shape) != 1 or not w.shape[0] or _count(x) % w.shape[0] or _count(y) != _count(x):
        raise ConvertError("window %s does not divide input %s / output %s" % (w.shape, x.shape, y.shape))
    c.add_op(oplist.SIGNAL_WINDOW, "SignalWindow", n, [x, w, c.params("window%d" % n, table.WINDOW.pack(shift=shift))], [y],
             macs=_count(x))


@custom_rule("SignalFftAutoScale")
def _fft_auto_scale(c, n, op):
    (x,), (y, s) = _io(c, op, 1, 2)
    _dtypes([x, y, s], [I16, I16, I32], "tensor")
    if _count(y) != _count(x) or _count(s) != 1:
        raise ConvertError("output %s / scale %s do not match input %s" % (y.shape, s.shape, x.shape))
    c.add_op(oplist.SIGNAL_FFT_AUTO_SCALE, "SignalFftAutoScale", n, [x], [y, s])


@custom_rule("SignalRfft")
def _rfft(c, n, op):
    (x,), (y,) = _io(c, op, 1, 1)
    opts = options(op)
    if _opt(opts, "T") != 7:  # TensorType INT16
        raise ConvertError("only the int16 FFT is supported (T=%d)" % opts["T"])
    _dtypes([x, y], [I16, I16], "tensor")
    nfft = _opt(opts, "fft_length", 4, 32768)
    if nfft & (nfft - 1):
        raise ConvertError("fft_length %d: only powers of two are supported" % nfft)
    in_len = x.shape[-1] if x.shape else 1
    if in_len > nfft or len(x.shape) != len(y.shape) or y.shape[-1] != nfft + 2 or \
            _count(x) // in_len != _count(y) // (nfft + 2):
        raise ConvertError("input %s / output %s do not match fft_length %d" % (x.shape, y.shape, nfft))
    tw = c.const("rfft%d/twiddles" % n, rs.rfft_twiddles(nfft))
    scratch = Tensor("rfft%d/scratch" % n, I16, (rs.rfft_scratch_count(nfft),))
    c.tensors.append(scratch)
    p = c.params("rfft%d" % n, table.RFFT.pack(fft_length=nfft, input_length=in_len))
    logn = nfft.bit_length() - 1
    c.add_op(oplist.SIGNAL_RFFT, "SignalRfft", n, [x, tw, scratch, p], [y],
             macs=(_count(x) // in_len) * (nfft // 2) * logn)


@custom_rule("SignalEnergy")
def _energy(c, n, op):
    (x,), (y,) = _io(c, op, 1, 1)
    _dtypes([x, y], [I16, U32], "tensor")
    opts = options(op)
    bins = _count(y)
    start, end = _opt(opts, "start_index"), _opt(opts, "end_index")
    if _count(x) != 2 * bins or not 0 <= start <= end <= bins:
        raise ConvertError("start_index %d, end_index %d for input %s / output %s"
                           % (start, end, x.shape, y.shape))
    c.add_op(oplist.SIGNAL_ENERGY, "SignalEnergy", n, [x, c.params("energy%d" % n, table.ENERGY.pack(start_index=start, end_index=end))], [y],
             macs=end - start)


@custom_rule("SignalFilterBank")
def _filter_bank(c, n, op):
    ins, (y,) = _io(c, op, 6, 1)
    _dtypes(ins + [y], [U32, I16, I16, I16, I16, I16, U64], "tensor")
    nch = _opt(options(op), "num_channels", 1, 32767)
    x, w, uw, fs, ws, wd = ins
    if _count(y) != nch or any(_count(t) != nch + 1 for t in (fs, ws, wd)) or _count(uw) != _count(w):
        raise ConvertError("num_channels %d does not match the tensors" % nch)
    if all(t.is_const for t in (fs, ws, wd)):
        f, s, d = (np.frombuffer(t.data, np.int16).astype(np.int64) for t in (fs, ws, wd))
        bad = (f < 0) | (s < 0) | (d < 0) | (f + d > _count(x)) | (s + d > _count(w))
        if bad.any():
            raise ConvertError("channel %d reads outside the input or the weights" % int(np.argmax(bad)))
        macs = 2 * int(d.sum())
    else:
        macs = 2 * _count(x)
    c.add_op(oplist.SIGNAL_FILTER_BANK, "SignalFilterBank", n, ins + [c.params("fbank%d" % n, table.FBANK.pack(num_channels=nch))], [y],
             macs=macs)


@custom_rule("SignalFilterBankSquareRoot")
def _filter_bank_sqrt(c, n, op):
    (x, s), (y,) = _io(c, op, 2, 1)
    _dtypes([x, s, y], [U64, I32, U32], "tensor")
    if _count(s) != 1 or _count(y) != _count(x):
        raise ConvertError("scale_bits %s / output %s do not match input %s" % (s.shape, y.shape, x.shape))
    c.add_op(oplist.SIGNAL_FILTER_BANK_SQRT, "SignalFilterBankSquareRoot", n, [x, s], [y])


@custom_rule("SignalFilterBankSpectralSubtraction")
def _spectral_subtraction(c, n, op):
    (x,), (y, ne) = _io(c, op, 1, 2)
    _dtypes([x, y, ne], [U32, U32, U32], "tensor")
    o = options(op)
    vals = [_opt(o, "num_channels"), _opt(o, "smoothing"), _opt(o, "one_minus_smoothing"),
            _opt(o, "alternate_smoothing"), _opt(o, "alternate_one_minus_smoothing"),
            _opt(o, "smoothing_bits"), _opt(o, "spectral_subtraction_bits"),
            _opt(o, "min_signal_remaining"), _opt(o, "clamping", 0, 1)]
    _spec_check(vals, rs.SPECSUB_SPEC)
    nch = vals[table.SPECSUB.index["num_channels"]]
    if any(_count(t) != nch for t in (x, y, ne)):
        raise ConvertError("num_channels %d does not match the tensors" % nch)
    state = Tensor("specsub%d/noise_estimate_state" % n, U32, (nch,))
    state.variable = True
    c.tensors.append(state)
    c.add_op(oplist.SIGNAL_SPECTRAL_SUBTRACTION, "SignalFilterBankSpectralSubtraction", n,
             [x, state, c.params("specsub%d" % n, table.SPECSUB.check(vals))], [y, ne])


@custom_rule("SignalPCAN")
def _pcan(c, n, op):
    (x, ne, lut), (y,) = _io(c, op, 3, 1)
    _dtypes([x, ne, lut, y], [U32, U32, I16, U32], "tensor")
    shift = _opt(options(op), "snr_shift", 0, 63)
    if _count(ne) != _count(x) or _count(y) != _count(x) or _count(lut) < rs.PCAN_LUT_SIZE:
        raise ConvertError("noise estimate %s / gain lut %s / output %s do not match input %s"
                           % (ne.shape, lut.shape, y.shape, x.shape))
    c.add_op(oplist.SIGNAL_PCAN, "SignalPCAN", n, [x, ne, lut, c.params("pcan%d" % n, table.PCAN.pack(snr_shift=shift))], [y])


@custom_rule("SignalFilterBankLog")
def _filter_bank_log(c, n, op):
    (x,), (y,) = _io(c, op, 1, 1)
    _dtypes([x, y], [U32, I16], "tensor")
    o = options(op)
    vals = [_opt(o, "input_correction_bits"), _opt(o, "output_scale")]
    _spec_check(vals, rs.LOG_SPEC)
    if _count(y) != _count(x):
        raise ConvertError("output %s does not match input %s" % (y.shape, x.shape))
    c.add_op(oplist.SIGNAL_FILTER_BANK_LOG, "SignalFilterBankLog", n, [x, c.params("fblog%d" % n, table.FBLOG.check(vals))], [y])
