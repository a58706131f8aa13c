// float32 exp, log, sin, cos, expm1 and tanh that give, on every board, the bits glibc's
// expf/logf/sinf/cosf/expm1f/tanhf give on the x86-64 host where the live TFLite Micro runs (its
// kernels call std::exp, ...).
// The boards' own libm (MicroPython's lib/libm, newlib) is the older single-precision code and
// differs in the last bit on many inputs (tests/host/test_libm_f32.py).
//
// The algorithms are glibc's (Szabolcs Nagy's, from Arm's optimized-routines), evaluated in
// double: exp as 2^(k/32) * a cubic in the remainder, log as log(c) + k ln2 + a quartic in
// z/c - 1 over 16 subintervals, sin/cos as polynomials after reduction by pi/2 (one
// multiply-subtract below 120, a 4/pi table of 192 bits above). The host's glibc evaluates
// them with fused multiply-adds (expm1f and tanhf: plain float code, see their section); here every operation is rounded on its own (fp-contract off),
// which differs on a handful of inputs: those are listed with glibc's result (found by
// host_tools/check/libm_f32.py, which compares this file with the host's glibc on all 2^32
// inputs). NaN inputs give the NaN quieted; invalid operations x86's default NaN 0xFFC00000.
#include "micronn_config.h"
#if MICRONN_OP_MATH || MICRONN_OP_NN || MICRONN_OP_RECURRENT

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"
#include "mn_libm_f32.h"

MN_INLINE uint32_t mn_fbits(float f) {
    uint32_t u;
    __builtin_memcpy(&u, &f, sizeof u); // (no string.h: the Xtensa compile check has none)
    return u;
}

MN_INLINE float mn_bitsf(uint32_t u) {
    float f;
    __builtin_memcpy(&f, &u, sizeof f);
    return f;
}

MN_INLINE uint64_t mn_dbits(double d) {
    uint64_t u;
    __builtin_memcpy(&u, &d, sizeof u);
    return u;
}

MN_INLINE double mn_bitsd(uint64_t u) {
    double d;
    __builtin_memcpy(&d, &u, sizeof d);
    return d;
}

#define MN_DEFAULT_NAN 0xFFC00000u // x86's "real indefinite"
#define MN_QUIET(u) mn_bitsf((u) | 0x00400000u)
#define MN_ABSTOP12(u) (((u) >> 20) & 0x7ffu)

// Inputs (sorted) where the unfused evaluation rounds otherwise than glibc's fused one, and
// glibc's result there.
typedef struct {
    uint32_t in, out;
} mn_libm_fix_t;

static int mn_libm_fix(const mn_libm_fix_t *fix, int n, uint32_t in, float *out) {
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        const int mid = (lo + hi) / 2;
        if (fix[mid].in == in) {
            *out = mn_bitsf(fix[mid].out);
            return 1;
        }
        if (fix[mid].in < in) {
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return 0;
}

// ---------------------------------------------------------------------------- exp
// 2^(i/32) as double bits, minus i << 47 (the exponent k/32 adds back as (k << 47)).
static const uint64_t mn_exp2_tab[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

static const mn_libm_fix_t mn_exp_fix[] = {
    MN_EXP_FIXES
};

float mn_expf(float x) {
    const uint32_t u = mn_fbits(x);
    const uint32_t abstop = MN_ABSTOP12(u);
    if (abstop >= 0x42b) { // |x| >= 88, inf or NaN
        if (u == 0xff800000u) {
            return 0.0f;
        }
        if (abstop >= 0x7f8) {
            return (u & 0x7fffffffu) > 0x7f800000u ? MN_QUIET(u) : x; // NaN, +inf
        }
        if (x > 0x1.62e42ep6f) {
            return mn_bitsf(0x7f800000u);
        }
        if (x < -0x1.9fe368p6f) {
            return 0.0f;
        }
    }
    float fixed;
    if (mn_libm_fix(mn_exp_fix, (int)(sizeof mn_exp_fix / sizeof mn_exp_fix[0]), u, &fixed)) {
        return fixed;
    }
    const double inv_ln2_n = 0x1.71547652b82fep+0 * 32, shift = 0x1.8p+52;
    const double c0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32, c1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
    const double c2 = 0x1.62e42ff0c52d6p-1 / 32;
    // x * 32 / ln2 = k + r, r in [-1/2, 1/2]; exp(x) = 2^(k/32) * 2^(r/32)
    const double z = inv_ln2_n * (double)x;
    double kd = z + shift;
    const uint64_t ki = mn_dbits(kd);
    kd -= shift;
    const double r = z - kd;
    const double s = mn_bitsd(mn_exp2_tab[ki % 32] + (ki << 47));
    const double p = c0 * r + c1, r2 = r * r;
    double y = c2 * r + 1.0;
    y = p * r2 + y;
    return (float)(y * s);
}

// ---------------------------------------------------------------------------- log
// 1/c and log(c) of the 16 subintervals of [0x3f330000, 2 * 0x3f330000) (float bits).
static const double mn_log_tab[16][2] = {
    {0x1.661ec79f8f3bep+0, -0x1.57bf7808caadep-2}, {0x1.571ed4aaf883dp+0, -0x1.2bef0a7c06ddbp-2},
    {0x1.49539f0f010bp+0, -0x1.01eae7f513a67p-2},  {0x1.3c995b0b80385p+0, -0x1.b31d8a68224e9p-3},
    {0x1.30d190c8864a5p+0, -0x1.6574f0ac07758p-3}, {0x1.25e227b0b8eap+0, -0x1.1aa2bc79c81p-3},
    {0x1.1bb4a4a1a343fp+0, -0x1.a4e76ce8c0e5ep-4}, {0x1.12358f08ae5bap+0, -0x1.1973c5a611cccp-4},
    {0x1.0953f419900a7p+0, -0x1.252f438e10c1ep-5}, {0x1p+0, 0x0p+0},
    {0x1.e608cfd9a47acp-1, 0x1.aa5aa5df25984p-5},  {0x1.ca4b31f026aap-1, 0x1.c5e53aa362eb4p-4},
    {0x1.b2036576afce6p-1, 0x1.526e57720db08p-3},  {0x1.9c2d163a1aa2dp-1, 0x1.bc2860d22477p-3},
    {0x1.886e6037841edp-1, 0x1.1058bc8a07ee1p-2},  {0x1.767dcf5534862p-1, 0x1.4043057b6ee09p-2},
};

static const mn_libm_fix_t mn_log_fix[] = {
    MN_LOG_FIXES
};

float mn_logf(float x) {
    uint32_t ix = mn_fbits(x);
    if (ix == 0x3f800000u) {
        return 0.0f;
    }
    if (ix - 0x00800000u >= 0x7f800000u - 0x00800000u) { // subnormal, 0, negative, inf, NaN
        if (ix * 2 == 0) {
            return mn_bitsf(0xff800000u); // -inf
        }
        if (ix == 0x7f800000u) {
            return x;
        }
        if ((ix & 0x7fffffffu) > 0x7f800000u) {
            return MN_QUIET(ix);
        }
        if (ix & 0x80000000u) {
            return mn_bitsf(MN_DEFAULT_NAN);
        }
        ix = mn_fbits(x * 0x1p23f) - (23u << 23); // normalize a subnormal
    }
    float fixed;
    if (mn_libm_fix(mn_log_fix, (int)(sizeof mn_log_fix / sizeof mn_log_fix[0]), mn_fbits(x), &fixed)) {
        return fixed;
    }
    const double ln2 = 0x1.62e42fefa39efp-1;
    const double a0 = -0x1.00ea348b88334p-2, a1 = 0x1.5575b0be00b6ap-2, a2 = -0x1.ffffef20a4123p-2;
    // x = 2^k z, z in [0x3f330000, 2 * 0x3f330000) as float bits; log(x) = log1p(z/c - 1) + log(c) + k ln2
    const uint32_t tmp = ix - 0x3f330000u;
    const int i = (int)((tmp >> 19) % 16);
    const int32_t k = (int32_t)tmp >> 23;
    const double z = (double)mn_bitsf(ix - (tmp & 0xff800000u));
    const double r = z * mn_log_tab[i][0] - 1.0;
    const double y0 = mn_log_tab[i][1] + (double)k * ln2;
    const double r2 = r * r;
    double y = a1 * r + a2;
    y = a0 * r2 + y;
    y = y * r2 + (y0 + r);
    return (float)y;
}

// ---------------------------------------------------------------------------- sin, cos
typedef struct {
    double c0, c1, c2, c3, c4; // cosine polynomial (negated in the second entry)
} mn_cos_poly_t;

static const mn_cos_poly_t mn_cos_poly[2] = {
    {0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5, -0x1.6c087e89a359dp-10, 0x1.99343027bf8c3p-16},
    {-0x1p0, 0x1.ffffffd0c621cp-2, -0x1.55553e1068f19p-5, 0x1.6c087e89a359dp-10, -0x1.99343027bf8c3p-16},
};

// 4/pi to 192 bits, 8 new bits per entry.
static const uint32_t mn_inv_pio4[24] = {
    0xa2,       0xa2f9,     0xa2f983,   0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
    0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
    0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
};

static const mn_libm_fix_t mn_sin_fix[] = {
    MN_SIN_FIXES
};

static const mn_libm_fix_t mn_cos_fix[] = {
    MN_COS_FIXES
};

// sin(x) (n even) or cos(x) (n odd) of x in [-pi/4, pi/4], x2 = x * x.
static float mn_sincos_poly(double x, double x2, const mn_cos_poly_t *p, int n) {
    if ((n & 1) == 0) {
        const double s1 = -0x1.555545995a603p-3, s2 = 0x1.1107605230bc4p-7, s3 = -0x1.994eb3774cf24p-13;
        const double x3 = x * x2;
        const double t = s2 + x2 * s3;
        const double x7 = x3 * x2;
        const double s = x + x3 * s1;
        return (float)(s + x7 * t);
    }
    const double x4 = x2 * x2;
    const double c2 = p->c3 + x2 * p->c4;
    const double c1 = p->c0 + x2 * p->c1;
    const double x6 = x4 * x2;
    const double c = c1 + x4 * p->c2;
    return (float)(c + x6 * c2);
}

// x mod pi/2 in [-pi/4, pi/4] for |x| < 120 (one multiply-subtract), the quadrant in *np.
static double mn_reduce_fast(double x, int *np) {
    const double r = x * 0x1.45F306DC9C883p+23; // 2/pi * 2^24
    const int n = ((int32_t)r + 0x800000) >> 24;
    *np = n;
    return x - n * 0x1.921FB54442D18p0;
}

// |x| mod pi/2 for |x| >= 120 from the float bits: a 32 x 96 -> 128 bit product with 4/pi.
static double mn_reduce_large(uint32_t xi, int *np) {
    const uint32_t *arr = &mn_inv_pio4[(xi >> 26) & 15];
    const int shift = (xi >> 23) & 7;
    xi = ((xi & 0xffffff) | 0x800000) << shift;
    uint64_t res0 = (uint64_t)(uint32_t)(xi * arr[0]);
    const uint64_t res1 = (uint64_t)xi * arr[4];
    const uint64_t res2 = (uint64_t)xi * arr[8];
    res0 = (res2 >> 32) | (res0 << 32);
    res0 += res1;
    const uint64_t n = (res0 + (1ULL << 61)) >> 62;
    res0 -= n << 62;
    *np = (int)n;
    return (double)(int64_t)res0 * 0x1.921FB54442D18p-62; // 2 pi * 2^-64
}

static float mn_sincosf(float y, int cosine) {
    const uint32_t u = mn_fbits(y), top = MN_ABSTOP12(u);
    double x = y;
    int n;
    if (top < 0x3f4) { // |y| < pi/4
        if (top < 0x398) { // |y| < 2^-12
            return cosine ? 1.0f : y;
        }
        return mn_sincos_poly(x, x * x, &mn_cos_poly[0], cosine);
    }
    if (top >= 0x7f8) {
        return (u & 0x7fffffffu) > 0x7f800000u ? MN_QUIET(u) : mn_bitsf(MN_DEFAULT_NAN);
    }
    int q;
    if (top < 0x42f) { // |y| < 120
        x = mn_reduce_fast(x, &n);
        q = n;
    } else {
        x = mn_reduce_large(u, &n);
        q = n + (int)(u >> 31);
    }
    const double s = ((q + 1) & 2) ? -1.0 : 1.0; // sign of sine in quadrants 0..3: + - - +
    return mn_sincos_poly(x * s, x * x, &mn_cos_poly[(q & 2) ? 1 : 0], n ^ cosine);
}

float mn_sinf(float x) {
    float fixed;
    if (mn_libm_fix(mn_sin_fix, (int)(sizeof mn_sin_fix / sizeof mn_sin_fix[0]), mn_fbits(x), &fixed)) {
        return fixed;
    }
    return mn_sincosf(x, 0);
}

float mn_cosf(float x) {
    float fixed;
    if (mn_libm_fix(mn_cos_fix, (int)(sizeof mn_cos_fix / sizeof mn_cos_fix[0]), mn_fbits(x), &fixed)) {
        return fixed;
    }
    return mn_sincosf(x, 1);
}

// ---------------------------------------------------------------------------- expm1, tanh
// glibc 2.36's expm1f and tanhf are the fdlibm single-precision code (every operation in float):
// expm1 reduces x = k ln2 + r (ln2 split in a high part exact in k * ln2_hi and a low part), takes
// a rational approximation of r / (e^r - 1) around a degree-5 polynomial in r^2 / 2 and puts
// 2^k back (added to the exponent bits) with the low part's correction c; tanh is 1 - 2 / (expm1(2|x|) + 2) above 1 and
// -t / (t + 2), t = expm1(-2|x|), below.
static const mn_libm_fix_t mn_expm1_fix[] = {
    MN_EXPM1_FIXES
};

static const mn_libm_fix_t mn_tanh_fix[] = {
    MN_TANH_FIXES
};

static float mn_expm1f_core(float x) {
    const float ln2_hi = 6.9313812256e-01f, ln2_lo = 9.0580006145e-06f, inv_ln2 = 1.4426950216e+00f;
    const float q1 = -3.3333335072e-02f, q2 = 1.5873016091e-03f, q3 = -7.9365076090e-05f;
    const float q4 = 4.0082177293e-06f, q5 = -2.0109921195e-07f;
    const uint32_t u = mn_fbits(x), ax = u & 0x7fffffffu;
    const int negative = (int)(u >> 31);
    if (ax >= 0x4195b844u) { // |x| >= 27 ln2
        if (ax >= 0x42b17218u) { // |x| >= 88.72...
            if (ax > 0x7f800000u) {
                return MN_QUIET(u);
            }
            if (ax == 0x7f800000u) {
                return negative ? -1.0f : x;
            }
            if (x > 8.8721679688e+01f) {
                return mn_bitsf(0x7f800000u);
            }
        }
        if (negative) {
            return -1.0f;
        }
    }
    int k;
    float c = 0.0f;
    if (ax > 0x3eb17218u) { // |x| > ln2 / 2: x = k ln2 + (hi - lo)
        float hi, lo;
        if (ax < 0x3f851592u) { // |x| < 3 ln2 / 2
            hi = negative ? x + ln2_hi : x - ln2_hi;
            lo = negative ? -ln2_lo : ln2_lo;
            k = negative ? -1 : 1;
        } else {
            k = (int)(inv_ln2 * x + (negative ? -0.5f : 0.5f));
            const float t = (float)k;
            hi = x - t * ln2_hi; // exact
            lo = t * ln2_lo;
        }
        x = hi - lo;
        c = (hi - x) - lo;
    } else if (ax < 0x33000000u) { // |x| < 2^-25
        return x;
    } else {
        k = 0;
    }
    const float hfx = 0.5f * x;
    const float hxs = x * hfx;
    const float r1 = 1.0f + hxs * (q1 + hxs * (q2 + hxs * (q3 + hxs * (q4 + hxs * q5))));
    const float t3 = 3.0f - r1 * hfx;
    float e = hxs * ((r1 - t3) / (6.0f - x * t3));
    if (k == 0) {
        return x - (x * e - hxs);
    }
    e = x * (e - c) - c;
    e -= hxs;
    if (k == -1) {
        return 0.5f * (x - e) - 0.5f;
    }
    if (k == 1) {
        if (x < -0.25f) {
            return -2.0f * (e - (x + 0.5f));
        }
        return 1.0f + 2.0f * (x - e);
    }
    const uint32_t k_exp = (uint32_t)k << 23; // y * 2^k as k added to y's exponent bits
    if (k <= -2 || k > 56) { // e^x - 1 = 2^k (1 - (e - x)) - 1
        return mn_bitsf(mn_fbits(1.0f - (e - x)) + k_exp) - 1.0f;
    }
    float y;
    if (k < 23) {
        y = mn_bitsf(0x3f800000u - (0x1000000u >> k)) - (e - x); // (1 - 2^-k) - (e - x)
    } else {
        y = x - (e + mn_bitsf((uint32_t)(0x7f - k) << 23)); // x - (e + 2^-k)
        y += 1.0f;
    }
    return mn_bitsf(mn_fbits(y) + k_exp);
}

float mn_expm1f(float x) {
    float fixed;
    if (mn_libm_fix(mn_expm1_fix, (int)(sizeof mn_expm1_fix / sizeof mn_expm1_fix[0]), mn_fbits(x), &fixed)) {
        return fixed;
    }
    return mn_expm1f_core(x);
}

float mn_tanhf(float x) {
    const uint32_t u = mn_fbits(x), ax = u & 0x7fffffffu;
    float fixed;
    if (mn_libm_fix(mn_tanh_fix, (int)(sizeof mn_tanh_fix / sizeof mn_tanh_fix[0]), u, &fixed)) {
        return fixed;
    }
    if (ax >= 0x7f800000u) { // inf, NaN
        return ax > 0x7f800000u ? MN_QUIET(u) : (u >> 31) ? -1.0f : 1.0f;
    }
    float z;
    if (ax < 0x41b00000u) { // |x| < 22
        if (ax < 0x24000000u) { // |x| < 2^-55 (and 0)
            return x * (1.0f + x);
        }
        const float a = mn_bitsf(ax);
        if (ax >= 0x3f800000u) { // |x| >= 1
            const float t = mn_expm1f_core(2.0f * a);
            z = 1.0f - 2.0f / (t + 2.0f);
        } else {
            const float t = mn_expm1f_core(-2.0f * a);
            z = -t / (t + 2.0f);
        }
    } else {
        z = 1.0f; // 1 - 1e-30 rounds to 1
    }
    return (u >> 31) ? -z : z;
}

#endif // MICRONN_OP_MATH || MICRONN_OP_NN || MICRONN_OP_RECURRENT
