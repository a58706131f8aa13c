// Signal area: SignalRfft for int16, the fixed-point 16-bit KISS FFT arithmetic TFLite Micro uses
// (kiss_fftr over a radix-4/2 decimation-in-time complex FFT). Every product is rounded with
// (x + 2^14) >> 15 and every intermediate is stored as int16 (wrapping), as there.
#include "micronn_config.h"
#if MICRONN_OP_SIGNAL

#include "micronn.h"

// Complex values are interleaved int16 pairs: z[2k] real, z[2k + 1] imaginary.
MN_INLINE int16_t mn_sround(int32_t x) {
    return (int16_t)(uint16_t)(uint32_t)((x + (1 << 14)) >> 15);
}

MN_INLINE int16_t mn_w16(int32_t x) {
    return (int16_t)(uint16_t)(uint32_t)x;
}

// c = a * b (complex, Q15 twiddle b)
#define MN_CMUL(cr, ci, ar, ai, br, bi) do { \
        cr = mn_sround((int32_t)(ar) * (br) - (int32_t)(ai) * (bi)); \
        ci = mn_sround((int32_t)(ar) * (bi) + (int32_t)(ai) * (br)); \
} while (0)

static void mn_bfly2(int16_t *f, int32_t fstride, const int16_t *tw, int32_t m) {
    int16_t *f1 = f + 2 * m;
    for (int32_t k = 0; k < m; k++) {
        int16_t ar = mn_sround(f[0] * 16383), ai = mn_sround(f[1] * 16383);
        int16_t br = mn_sround(f1[0] * 16383), bi = mn_sround(f1[1] * 16383);
        const int16_t *t = tw + 2 * k * fstride;
        int16_t tr, ti;
        MN_CMUL(tr, ti, br, bi, t[0], t[1]);
        f1[0] = mn_w16(ar - tr);
        f1[1] = mn_w16(ai - ti);
        f[0] = mn_w16(ar + tr);
        f[1] = mn_w16(ai + ti);
        f += 2;
        f1 += 2;
    }
}

static void mn_bfly4(int16_t *f, int32_t fstride, const int16_t *tw, int32_t m) {
    int16_t *f1 = f + 2 * m, *f2 = f + 4 * m, *f3 = f + 6 * m;
    for (int32_t k = 0; k < m; k++) {
        int16_t a0r = mn_sround(f[0] * 8191), a0i = mn_sround(f[1] * 8191);
        int16_t a1r = mn_sround(f1[0] * 8191), a1i = mn_sround(f1[1] * 8191);
        int16_t a2r = mn_sround(f2[0] * 8191), a2i = mn_sround(f2[1] * 8191);
        int16_t a3r = mn_sround(f3[0] * 8191), a3i = mn_sround(f3[1] * 8191);
        const int16_t *t1 = tw + 2 * k * fstride, *t2 = tw + 4 * k * fstride, *t3 = tw + 6 * k * fstride;
        int16_t s0r, s0i, s1r, s1i, s2r, s2i;
        MN_CMUL(s0r, s0i, a1r, a1i, t1[0], t1[1]);
        MN_CMUL(s1r, s1i, a2r, a2i, t2[0], t2[1]);
        MN_CMUL(s2r, s2i, a3r, a3i, t3[0], t3[1]);
        int16_t s5r = mn_w16(a0r - s1r), s5i = mn_w16(a0i - s1i);
        a0r = mn_w16(a0r + s1r);
        a0i = mn_w16(a0i + s1i);
        int16_t s3r = mn_w16(s0r + s2r), s3i = mn_w16(s0i + s2i);
        int16_t s4r = mn_w16(s0r - s2r), s4i = mn_w16(s0i - s2i);
        f2[0] = mn_w16(a0r - s3r);
        f2[1] = mn_w16(a0i - s3i);
        f[0] = mn_w16(a0r + s3r);
        f[1] = mn_w16(a0i + s3i);
        f1[0] = mn_w16(s5r + s4i);
        f1[1] = mn_w16(s5i - s4r);
        f3[0] = mn_w16(s5r - s4i);
        f3[1] = mn_w16(s5i + s4r);
        f += 2;
        f1 += 2;
        f2 += 2;
        f3 += 2;
    }
}

// One stage of the recursion: the p sub-transforms of length m of samples in[k * fstride * p + q],
// then the radix-p butterflies. factors: (p, m) pairs down to m == 1.
static void mn_kf_work(int16_t *out, const int16_t *in, int32_t fstride, const int32_t *factors,
    const int16_t *tw) {
    int32_t p = factors[0], m = factors[1];
    if (m == 1) {
        for (int32_t q = 0; q < p; q++) {
            out[2 * q] = in[0];
            out[2 * q + 1] = in[1];
            in += 2 * fstride;
        }
    } else {
        for (int32_t q = 0; q < p; q++) {
            mn_kf_work(out + 2 * q * m, in, fstride * p, factors + 2, tw);
            in += 2 * fstride;
        }
    }
    if (p == 4) {
        mn_bfly4(out, fstride, tw, m);
    } else {
        mn_bfly2(out, fstride, tw, m);
    }
}

void mn_signal_rfft_s16(const int16_t *input, const int16_t *twiddles, int16_t *scratch,
    int16_t *output, int32_t rows, int32_t fft_length, int32_t input_length) {
    const int32_t ncfft = fft_length / 2;
    int32_t factors[64];
    int32_t nf = 0;
    for (int32_t n = ncfft; n > 1;) {
        int32_t p = (n & 3) == 0 ? 4 : 2;
        n /= p;
        factors[nf++] = p;
        factors[nf++] = n;
    }
    int16_t *frame = scratch;          // fft_length real samples = ncfft complex
    int16_t *z = scratch + fft_length; // ncfft complex
    const int16_t *super = twiddles + 2 * ncfft;
    for (int32_t r = 0; r < rows; r++) {
        for (int32_t i = 0; i < input_length; i++) {
            frame[i] = input[i];
        }
        for (int32_t i = input_length; i < fft_length; i++) {
            frame[i] = 0;
        }
        if (ncfft > 1) {
            mn_kf_work(z, frame, 1, factors, twiddles);
        } else {
            z[0] = frame[0];
            z[1] = frame[1];
        }
        int16_t dr = mn_sround(z[0] * 16383), di = mn_sround(z[1] * 16383);
        output[0] = mn_w16(dr + di);
        output[1] = 0;
        output[2 * ncfft] = mn_w16(dr - di);
        output[2 * ncfft + 1] = 0;
        for (int32_t k = 1; k <= ncfft / 2; k++) {
            const int16_t *pk = z + 2 * k, *pn = z + 2 * (ncfft - k);
            int16_t pkr = mn_sround(pk[0] * 16383), pki = mn_sround(pk[1] * 16383);
            int16_t pnr = mn_sround(pn[0] * 16383);
            int16_t pni = mn_sround(mn_w16(-(int32_t)pn[1]) * 16383);
            int16_t f1r = mn_w16(pkr + pnr), f1i = mn_w16(pki + pni);
            int16_t f2r = mn_w16(pkr - pnr), f2i = mn_w16(pki - pni);
            int16_t twr, twi;
            MN_CMUL(twr, twi, f2r, f2i, super[2 * (k - 1)], super[2 * (k - 1) + 1]);
            output[2 * k] = mn_w16((f1r + twr) >> 1);
            output[2 * k + 1] = mn_w16((f1i + twi) >> 1);
            output[2 * (ncfft - k)] = mn_w16((f1r - twr) >> 1);
            output[2 * (ncfft - k) + 1] = mn_w16((twi - f1i) >> 1);
        }
        input += input_length;
        output += 2 * (ncfft + 1);
    }
}

#endif // MICRONN_OP_SIGNAL
