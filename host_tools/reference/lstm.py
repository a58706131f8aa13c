"""numpy reference kernels of the RECURRENT area's LSTM (ops_lstm.py): TFLite Micro's integer
LSTM step by step (kernels/lstm_eval.h), the C kernels' twin (kernels/mn_lstm.c)."""

import numpy as np

from .f32 import _logistic, clamp
from .libm_f32 import tanhf
from .qmath import requantize
from .spec_args import spec_kernel

# TFLM's sigmoid table (kernels/internal/common.h sigmoid_table_uint16): the int16 LOGISTIC and
# TANH interpolate it.
SIGMOID_LUT = np.array([
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
], dtype=np.int64)


def _wrap16(x):
    return ((np.asarray(x, np.int64) + (1 << 15)) % (1 << 16)) - (1 << 15)


def _wrap32(x):
    return ((np.asarray(x, np.int64) + (1 << 31)) % (1 << 32)) - (1 << 31)


def sigmoid_s16(x):
    """TFLM's int16 LOGISTIC (reference_integer_ops::Logistic) with input multiplier 0 and
    shift 0 (Q3.12 in, Q0.15 out)."""
    v = np.asarray(x, np.int64) * 3
    a = np.abs(v)
    uh = a >> 9
    k = np.minimum(uh, 254)
    ua, ub = SIGMOID_LUT[k], SIGMOID_LUT[k + 1]
    r = np.where(uh >= 255, 0x7FFF << 10, (ua << 9) + (a & 0x1FF) * (ub - ua))
    r = np.where(v >= 0, r + (1 << 9), (1 << 25) - r + (1 << 9) - 1)
    return _wrap16(r >> 10)


def tanh_s16(x, mult, shift):
    """TFLM's int16 TANH (reference_integer_ops::Tanh) with the multiplier and shift its LSTM
    passes (the power-of-two case folded: mult = 3 << left shift, shift 0)."""
    rnd = (1 << (shift - 1)) if shift > 0 else 0
    v = (np.asarray(x, np.int64) * mult + rnd) >> shift
    a = np.abs(v)
    uh = a >> 8
    k = np.minimum(uh, 254)
    ua, ub = SIGMOID_LUT[k], SIGMOID_LUT[k + 1]
    r = np.where(uh >= 255, 0xFFFF << 8, (ua << 8) + (a & 0xFF) * (ub - ua))
    r = np.where(v >= 0, r - (1 << 23) + (1 << 7), -r + (1 << 23) + (1 << 7) - 1)
    return _wrap16(r >> 8)


def _rq16(acc, mult, shift):
    return np.clip(requantize(_wrap32(acc), mult, shift), -32768, 32767)


_GATES = ("i", "f", "c", "o")


def rq64(x, mult, shift):
    """TFLM's int64 MultiplyByQuantizedMultiplier (the 16x8 kernels'): the multiplier rounded to
    16 bits, one rounding shift by 15 - shift, the result cast to int32."""
    rm = (mult + (1 << 15)) >> 16 if mult < 0x7FFF0000 else 0x7FFF
    ts = 15 - shift
    return _wrap32((np.asarray(x, np.int64) * rm + (1 << (ts - 1))) >> ts)


def _lstm(input, w_x, w_h, bias, output, hidden, cell, p, wide):
    """TFLM's LstmStep for every batch and time step; wide: 16x8 (int64 accumulators, rq64)."""
    B, T, n_in, n = p.batch, p.time, p.n_input, p.n_cell
    lo, hi = (-32768, 32767) if wide else (-128, 127)
    w_x = [w.astype(np.int64).reshape(n, n_in) for w in w_x]
    w_h = [w.astype(np.int64).reshape(n, n) for w in w_h]
    bias = [b.astype(np.int64) for b in bias]

    def fc(w, v, b, mult, shift):
        acc = w @ v + (0 if b is None else b)
        if wide:
            return np.clip(rq64(acc, mult, shift), -32768, 32767)
        return _rq16(acc, mult, shift)

    for b in range(B):
        h = hidden[b * n:(b + 1) * n]
        c = cell[b * n:(b + 1) * n]
        for t in range(T):
            step = t * B + b if p.time_major else b * T + t
            x = input[step * n_in:(step + 1) * n_in].astype(np.int64) + p.input_offset
            hx = h.astype(np.int64) + p.hidden_offset
            gates = []
            for k, g in enumerate(_GATES):
                gx = fc(w_x[k], x, bias[k], p[g + "_x_mult"], p[g + "_x_shift"])
                gh = fc(w_h[k], hx, None, p[g + "_h_mult"], p[g + "_h_shift"])
                s = np.clip(gx + gh, -32768, 32767)
                gates.append(tanh_s16(s, 3, 0) if g == "c" else sigmoid_s16(s))
            gi, gf, gc, go = gates
            fc_ = np.clip(requantize(gf * c.astype(np.int64), p.fc_mult, p.fc_shift), -32768, 32767)
            ic = np.clip(requantize(gi * gc, p.ic_mult, p.ic_shift), -32768, 32767)
            cs = np.clip(fc_ + ic, -32768, 32767)
            if p.cell_clip >= 0:
                cs = np.clip(cs, -p.cell_clip, p.cell_clip)
            c[:] = cs.astype(np.int16)
            th = tanh_s16(cs, p.tanh_mult, p.tanh_shift)
            hv = requantize(th * go, p.h_mult, p.h_shift) + p.hidden_zero_point
            h[:] = np.clip(hv, lo, hi).astype(h.dtype)
            output[step * n:(step + 1) * n] = h


@spec_kernel
def lstm_s8(input, w_x_i, w_x_f, w_x_c, w_x_o, w_h_i, w_h_f, w_h_c, w_h_o, bias_i, bias_f, bias_c,
            bias_o, output, hidden, cell, scratch, p):
    _lstm(input, (w_x_i, w_x_f, w_x_c, w_x_o), (w_h_i, w_h_f, w_h_c, w_h_o), (bias_i, bias_f, bias_c, bias_o),
          output, hidden, cell, p, False)


@spec_kernel
def lstm_s16(input, w_x_i, w_x_f, w_x_c, w_x_o, w_h_i, w_h_f, w_h_c, w_h_o, bias_i, bias_f, bias_c,
             bias_o, output, hidden, cell, scratch, p):
    _lstm(input, (w_x_i, w_x_f, w_x_c, w_x_o), (w_h_i, w_h_f, w_h_c, w_h_o), (bias_i, bias_f, bias_c, bias_o),
          output, hidden, cell, p, True)


def _fc_f32(w, v, b):
    """clamp(0.0f + w . v, one float32 product and add at a time in order, + b)."""
    f32 = np.float32
    total = np.zeros(w.shape[0], f32)
    for d in range(w.shape[1]):
        total = (total + (w[:, d] * v[d]).astype(f32)).astype(f32)
    return clamp((total + (f32(0) if b is None else b)).astype(f32), 0)


@spec_kernel
def lstm_f32(input, w_x_i, w_x_f, w_x_c, w_x_o, w_h_i, w_h_f, w_h_c, w_h_o, bias_i, bias_f, bias_c,
             bias_o, output, cell_clip, hidden, cell, scratch, p):
    f32 = np.float32
    B, T, n_in, n = p.batch, p.time, p.n_input, p.n_cell
    w_x = [w.reshape(n, n_in) for w in (w_x_i, w_x_f, w_x_c, w_x_o)]
    w_h = [w.reshape(n, n) for w in (w_h_i, w_h_f, w_h_c, w_h_o)]
    bias = (bias_i, bias_f, bias_c, bias_o)
    clip = f32(cell_clip[0])
    with np.errstate(all="ignore"):
        for b in range(B):
            h = hidden[b * n:(b + 1) * n]
            c = cell[b * n:(b + 1) * n]
            for t in range(T):
                step = t * B + b if p.time_major else b * T + t
                x = input[step * n_in:(step + 1) * n_in]
                gates = []
                for k, g in enumerate(_GATES):
                    s = (_fc_f32(w_x[k], x, bias[k]) + _fc_f32(w_h[k], h.copy(), None)).astype(f32)
                    gates.append(tanhf(s) if g == "c" else _logistic(s, None))
                gi, gf, gc, go = gates
                cs = (clamp((gf * c).astype(f32), 0) + clamp((gi * gc).astype(f32), 0)).astype(f32)
                if p.clip:
                    cs = np.where(cs < clip, cs, clip).astype(f32)
                    cs = np.where(cs < -clip, -clip, cs).astype(f32)
                c[:] = cs
                h[:] = clamp((tanhf(cs) * go).astype(f32), 0)
                output[step * n:(step + 1) * n] = h


lstm_s8_ref = lstm_s8  # the plain C reference computes the same bytes
