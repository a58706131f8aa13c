"""float32 exp, log, sin, cos, expm1, tanh as firmware/_micronn/kernels/mn_libm_f32.c computes them (glibc's
algorithms; exp, log, sin, cos in double, expm1 and tanh, fdlibm's, in float; every operation
rounded on its own, then the listed exceptions): the bits the host's glibc
expf/logf/sinf/cosf/expm1f/tanhf give (what the live TFLite Micro calls), on numpy
arrays. FIXES must equal the C lists in kernels/mn_libm_f32.h (tests/host/test_libm_f32.py);
both are written by `python -m host_tools.check.libm_f32`."""

import numpy as np

_F32, _F64, _U32, _U64 = np.float32, np.float64, np.uint32, np.uint64
_h = float.fromhex  # C99 hex float literals
_DEFAULT_NAN = _U32(0xFFC00000)

# {function: {input bits: glibc's output bits}} where the unfused evaluation rounds otherwise.
FIXES = {
    "exp": {
        0x4202422f: 0x56fc9f1c, 0xc27c65d9: 0x11fa2993,
    },
    "log": {},
    "sin": {
        0x4255b0a9: 0xbc7d08a9, 0x42a35c07: 0xbadaa3b4, 0x42a35d44: 0x3a44b889, 0x42a97360: 0x3dc7b08a,
        0x42cf5854: 0x382ee64e, 0x42e87a55: 0xb5d2257c, 0xc255b0a9: 0x3c7d08a9, 0xc2a35c07: 0x3adaa3b4,
        0xc2a35d44: 0xba44b889, 0xc2a97360: 0xbdc7b08a, 0xc2cf5854: 0xb82ee64e, 0xc2e87a55: 0x35d2257c,
    },
    "cos": {
        0x418a3adb: 0xb7b4f770, 0x418a3adc: 0xb7a4f770, 0x418a3add: 0xb794f770, 0x418a3ade: 0xb784f770,
        0x41bc76d9: 0xbb803f6b, 0x4202eb4b: 0x3e821ce2, 0x42687a55: 0xb552257c, 0x4280ce28: 0x34fdd672,
        0x42870e40: 0xbc866cc4, 0x42c55faa: 0xbe8a34d1, 0x42d8d23e: 0xbcd25ea8, 0xc18a3adb: 0xb7b4f770,
        0xc18a3adc: 0xb7a4f770, 0xc18a3add: 0xb794f770, 0xc18a3ade: 0xb784f770, 0xc1bc76d9: 0xbb803f6b,
        0xc202eb4b: 0x3e821ce2, 0xc2687a55: 0xb552257c, 0xc280ce28: 0x34fdd672, 0xc2870e40: 0xbc866cc4,
        0xc2c55faa: 0xbe8a34d1, 0xc2d8d23e: 0xbcd25ea8,
    },
    "expm1": {},
    "tanh": {},
}

_EXP2 = np.array([
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540], dtype=_U64)

_LOG = np.array([
    (_h("0x1.661ec79f8f3bep+0"), -_h("0x1.57bf7808caadep-2")), (_h("0x1.571ed4aaf883dp+0"), -_h("0x1.2bef0a7c06ddbp-2")),
    (_h("0x1.49539f0f010bp+0"), -_h("0x1.01eae7f513a67p-2")), (_h("0x1.3c995b0b80385p+0"), -_h("0x1.b31d8a68224e9p-3")),
    (_h("0x1.30d190c8864a5p+0"), -_h("0x1.6574f0ac07758p-3")), (_h("0x1.25e227b0b8eap+0"), -_h("0x1.1aa2bc79c81p-3")),
    (_h("0x1.1bb4a4a1a343fp+0"), -_h("0x1.a4e76ce8c0e5ep-4")), (_h("0x1.12358f08ae5bap+0"), -_h("0x1.1973c5a611cccp-4")),
    (_h("0x1.0953f419900a7p+0"), -_h("0x1.252f438e10c1ep-5")), (_h("0x1p+0"), _h("0x0p+0")),
    (_h("0x1.e608cfd9a47acp-1"), _h("0x1.aa5aa5df25984p-5")), (_h("0x1.ca4b31f026aap-1"), _h("0x1.c5e53aa362eb4p-4")),
    (_h("0x1.b2036576afce6p-1"), _h("0x1.526e57720db08p-3")), (_h("0x1.9c2d163a1aa2dp-1"), _h("0x1.bc2860d22477p-3")),
    (_h("0x1.886e6037841edp-1"), _h("0x1.1058bc8a07ee1p-2")), (_h("0x1.767dcf5534862p-1"), _h("0x1.4043057b6ee09p-2"))], dtype=_F64)

_COS = np.array([
    (_h("0x1p0"), -_h("0x1.ffffffd0c621cp-2"), _h("0x1.55553e1068f19p-5"), -_h("0x1.6c087e89a359dp-10"), _h("0x1.99343027bf8c3p-16")),
    (-_h("0x1p0"), _h("0x1.ffffffd0c621cp-2"), -_h("0x1.55553e1068f19p-5"), _h("0x1.6c087e89a359dp-10"), -_h("0x1.99343027bf8c3p-16"))],
    dtype=_F64)
_INV_PIO4 = np.array([
    0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
    0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
    0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041], dtype=_U64)


def _quiet(u):
    return (u | _U32(0x00400000)).view(_F32)


def _is_nan(u):
    return (u & _U32(0x7FFFFFFF)) > _U32(0x7F800000)


def _fix(name, u, out):
    for k, v in FIXES[name].items():
        out = np.where(u == _U32(k), _U32(v).view(_F32), out)
    return out


def expf(x):
    x = np.asarray(x, dtype=_F32)
    u = x.view(_U32)
    with np.errstate(all="ignore"):
        xd = x.astype(_F64)
        z = _F64(_h("0x1.71547652b82fep+0") * 32) * xd
        kd = z + _F64(_h("0x1.8p+52"))
        ki = kd.view(_U64)
        kd = kd - _F64(_h("0x1.8p+52"))
        r = z - kd
        s = (_EXP2[(ki % _U64(32)).astype(np.intp)] + (ki << _U64(47))).view(_F64)
        p = _F64(_h("0x1.c6af84b912394p-5") / 32 / 32 / 32) * r + _F64(_h("0x1.ebfce50fac4f3p-3") / 32 / 32)
        r2 = r * r
        y = _F64(_h("0x1.62e42ff0c52d6p-1") / 32) * r + _F64(1.0)
        y = p * r2 + y
        out = (y * s).astype(_F32)
    out = np.where(x > _F32(_h("0x1.62e42ep6")), _F32(np.inf), out)
    out = np.where(x < _F32(-_h("0x1.9fe368p6")), _F32(0.0), out)
    out = np.where(_is_nan(u), _quiet(u), out)
    return _fix("exp", u, out).astype(_F32)


def logf(x):
    x = np.asarray(x, dtype=_F32)
    u = x.view(_U32)
    with np.errstate(all="ignore"):
        sub = (u & _U32(0x7FFFFFFF)) < _U32(0x00800000)
        ix = np.where(sub, (x * _F32(_h("0x1p23"))).view(_U32) - _U32(23 << 23), u)
        tmp = ix - _U32(0x3f330000)
        i = ((tmp >> _U32(19)) % _U32(16)).astype(np.intp)
        k = tmp.view(np.int32) >> 23
        z = (ix - (tmp & _U32(0xff800000))).view(_F32).astype(_F64)
        r = z * _LOG[i, 0] - _F64(1.0)
        y0 = _LOG[i, 1] + k.astype(_F64) * _F64(_h("0x1.62e42fefa39efp-1"))
        r2 = r * r
        y = _F64(_h("0x1.5575b0be00b6ap-2")) * r + _F64(-_h("0x1.ffffef20a4123p-2"))
        y = _F64(-_h("0x1.00ea348b88334p-2")) * r2 + y
        y = y * r2 + (y0 + r)
        out = y.astype(_F32)
    out = np.where(u == _U32(0x3f800000), _F32(0.0), out)
    out = np.where(u & _U32(0x80000000), _DEFAULT_NAN.view(_F32), out)
    out = np.where((u & _U32(0x7FFFFFFF)) == 0, _F32(-np.inf), out)
    out = np.where(u == _U32(0x7f800000), _F32(np.inf), out)
    out = np.where(_is_nan(u), _quiet(u), out)
    return _fix("log", u, out).astype(_F32)


def _poly(x, x2, table, odd):
    x3 = x * x2
    sin = (x + x3 * _F64(-_h("0x1.555545995a603p-3"))) + (x3 * x2) * (
        _F64(_h("0x1.1107605230bc4p-7")) + x2 * _F64(-_h("0x1.994eb3774cf24p-13")))
    c = _COS[table]
    x4 = x2 * x2
    c2 = c[:, 3] + x2 * c[:, 4]
    c1 = c[:, 0] + x2 * c[:, 1]
    cos = (c1 + x4 * c[:, 2]) + (x4 * x2) * c2
    return np.where(odd, cos, sin).astype(_F32)


def _reduce_large(u):
    u = u.astype(_U64)
    arr = ((u >> _U64(26)) & _U64(15)).astype(np.intp)
    shift = (u >> _U64(23)) & _U64(7)
    xi = (((u & _U64(0xffffff)) | _U64(0x800000)) << shift) & _U64(0xffffffff)
    res0 = (xi * _INV_PIO4[arr]) & _U64(0xffffffff)
    res1 = xi * _INV_PIO4[arr + 4]
    res2 = xi * _INV_PIO4[arr + 8]
    res0 = (res2 >> _U64(32)) | (res0 << _U64(32))
    res0 = res0 + res1
    n = (res0 + _U64(1 << 61)) >> _U64(62)
    res0 = res0 - (n << _U64(62))
    return res0.view(np.int64).astype(_F64) * _F64(_h("0x1.921FB54442D18p-62")), n.astype(np.int64)


def _sincosf(x, cosine, name):
    x = np.asarray(x, dtype=_F32)
    u = x.view(_U32)
    top = (u >> _U32(20)) & _U32(0x7ff)
    with np.errstate(all="ignore"):
        xd = x.astype(_F64)
        r = xd * _F64(_h("0x1.45F306DC9C883p+23"))
        n_fast = (np.trunc(np.where(top < 0x42f, r, 0)).astype(np.int64) + 0x800000) >> 24
        x_fast = xd - n_fast.astype(_F64) * _F64(_h("0x1.921FB54442D18p0"))
        x_large, n_large = _reduce_large(u)
        fast = top < 0x42f
        n = np.where(fast, n_fast, n_large)
        q = np.where(fast, n_fast, n_large + (u >> _U32(31)).astype(np.int64))
        xr = np.where(fast, x_fast, x_large)
        s = np.where((q + 1) & 2, _F64(-1.0), _F64(1.0))
        table = np.where(q & 2, 1, 0)
        out = _poly(xr * s, xr * xr, table, ((n ^ cosine) & 1) == 1)
        small = top < 0x3f4
        out = np.where(small, _poly(xd, xd * xd, np.zeros(x.shape, np.intp), np.full(x.shape, bool(cosine))), out)
    out = np.where(top < 0x398, _F32(1.0) if cosine else x, out)
    out = np.where(top >= 0x7f8, np.where(_is_nan(u), _quiet(u), _DEFAULT_NAN.view(_F32)), out)
    return _fix(name, u, out).astype(_F32)


def sinf(x):
    return _sincosf(x, 0, "sin")


def cosf(x):
    return _sincosf(x, 1, "cos")


def _expm1f_core(x):
    """glibc 2.36's expm1f (fdlibm's float code, every operation in float32), no exception list;
    2^k is put back by adding k to the exponent bits, as there."""
    x = np.asarray(x, dtype=_F32)
    u = x.view(_U32)
    ax = u & _U32(0x7FFFFFFF)
    neg = (u >> _U32(31)).astype(bool)
    one, half = _F32(1.0), _F32(0.5)
    with np.errstate(all="ignore"):
        # |x| > ln2 / 2: x = k ln2 + (hi - lo)
        near = ax < _U32(0x3f851592)
        kf = (_F32(1.4426950216e+00) * x + np.where(neg, -half, half)).astype(np.int32)
        k = np.where(near, np.where(neg, -1, 1), kf).astype(np.int32)
        t = k.astype(_F32)
        hi = np.where(near, np.where(neg, x + _F32(6.9313812256e-01), x - _F32(6.9313812256e-01)),
                      x - t * _F32(6.9313812256e-01))
        lo = np.where(near, np.where(neg, _F32(-9.0580006145e-06), _F32(9.0580006145e-06)), t * _F32(9.0580006145e-06))
        reduced = ax > _U32(0x3eb17218)
        k = np.where(reduced, k, 0)
        xr = np.where(reduced, hi - lo, x)
        c = np.where(reduced, (hi - xr) - lo, _F32(0.0))
        hfx = half * xr
        hxs = xr * hfx
        poly = _F32(4.0082177293e-06) + hxs * _F32(-2.0109921195e-07)
        poly = _F32(-7.9365076090e-05) + hxs * poly
        poly = _F32(1.5873016091e-03) + hxs * poly
        r1 = one + hxs * (_F32(-3.3333335072e-02) + hxs * poly)
        t3 = _F32(3.0) - r1 * hfx
        e = hxs * ((r1 - t3) / (_F32(6.0) - xr * t3))
        out_k0 = xr - (xr * e - hxs)
        e = xr * (e - c) - c
        e = e - hxs
        out_km1 = half * (xr - e) - half
        out_k1 = np.where(xr < _F32(-0.25), _F32(-2.0) * (e - (xr + half)), one + _F32(2.0) * (xr - e))
        k_exp = k.astype(_U32) << _U32(23)  # 2^k as k added to the exponent bits
        out_far = ((one - (e - xr)).view(_U32) + k_exp).view(_F32) - one
        ks = np.clip(k, 0, 31).astype(_U32)
        y_lo = (_U32(0x3f800000) - (_U32(0x1000000) >> ks)).view(_F32) - (e - xr)
        y_hi = (xr - (e + ((_U32(0x7f) - np.clip(k, 0, 126).astype(_U32)) << _U32(23)).view(_F32))) + one
        out_mid = (np.where(k < 23, y_lo, y_hi).view(_U32) + k_exp).view(_F32)
        out = np.where((k <= -2) | (k > 56), out_far, out_mid)
        out = np.where(k == 1, out_k1, out)
        out = np.where(k == -1, out_km1, out)
        out = np.where(k == 0, out_k0, out)
    out = np.where(ax < _U32(0x33000000), x, out)  # |x| < 2^-25
    big = ax >= _U32(0x4195b844)  # |x| >= 27 ln2
    out = np.where(big & neg, _F32(-1.0), out)
    out = np.where(~neg & (ax >= _U32(0x42b17218)), _F32(np.inf), out)  # (o_threshold is below that)
    out = np.where(_is_nan(u), _quiet(u), out)
    return out.astype(_F32)


def expm1f(x):
    x = np.asarray(x, dtype=_F32)
    return _fix("expm1", x.view(_U32), _expm1f_core(x)).astype(_F32)


def tanhf(x):
    """glibc 2.36's tanhf: 1 - 2 / (expm1(2|x|) + 2) for |x| >= 1, -t / (t + 2) with t = expm1(-2|x|)
    below, x (1 + x) below 2^-55, 1 from 22 on; the sign put back."""
    x = np.asarray(x, dtype=_F32)
    u = x.view(_U32)
    ax = u & _U32(0x7FFFFFFF)
    a = ax.view(_F32)
    one, two = _F32(1.0), _F32(2.0)
    with np.errstate(all="ignore"):
        t_hi = _expm1f_core(two * a)
        t_lo = _expm1f_core(_F32(-2.0) * a)
        z = np.where(ax >= _U32(0x3f800000), one - two / (t_hi + two), -t_lo / (t_lo + two))
        z = np.where(ax >= _U32(0x41b00000), one, z)
        out = np.where(u >> _U32(31), -z, z)
        out = np.where(ax < _U32(0x24000000), x * (one + x), out)
    out = np.where(ax >= _U32(0x7f800000), np.where(u >> _U32(31), _F32(-1.0), one), out)
    out = np.where(_is_nan(u), _quiet(u), out)
    return _fix("tanh", u, out).astype(_F32)
