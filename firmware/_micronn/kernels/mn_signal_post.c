// Signal area: the filter bank back end of TFLite Micro's signal library, bit-exact:
// SignalFilterBankSquareRoot, SignalFilterBankSpectralSubtraction, SignalPCAN, SignalFilterBankLog.
#include "micronn_config.h"
#if MICRONN_OP_SIGNAL

#include "micronn.h"

MN_INLINE int32_t mn_msb32(uint32_t x) { // 1-based; 32 for 0 (TFLite Micro built with GCC)
    return x ? 32 - __builtin_clz(x) : 32;
}

// Bitwise square root, rounded up when the remainder exceeds the root (unless saturated).
static uint32_t mn_sqrt32(uint32_t num) {
    if (num == 0) {
        return 0;
    }
    uint32_t res = 0;
    int32_t max_bit = (32 - mn_msb32(num)) | 1;
    uint32_t bit = (uint32_t)1 << (31 - max_bit);
    for (int32_t it = (31 - max_bit) / 2 + 1; it > 0; it--) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    if (num > res && res != 0xFFFF) {
        res++;
    }
    return (uint16_t)res;
}

static uint32_t mn_sqrt64(uint64_t num) {
    if ((num >> 32) == 0) {
        return mn_sqrt32((uint32_t)num);
    }
    uint64_t res = 0;
    int32_t max_bit = (64 - (64 - __builtin_clzll(num))) | 1;
    uint64_t bit = (uint64_t)1 << (63 - max_bit);
    for (int32_t it = (63 - max_bit) / 2 + 1; it > 0; it--) {
        if (num >= res + bit) {
            num -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    if (num > res && res != 0xFFFFFFFFu) {
        res++;
    }
    return (uint32_t)res;
}

void mn_signal_filter_bank_sqrt(const uint64_t *input, uint32_t *output, int32_t n, int32_t scale_bits) {
    for (int32_t i = 0; i < n; i++) {
        output[i] = mn_sqrt64(input[i]) >> scale_bits;
    }
}

void mn_signal_spectral_subtraction(const uint32_t *input, uint32_t *output, uint32_t *noise_estimate,
    uint32_t *state, const int32_t *p) {
    const int32_t n = p[MN_SPECSUB_NUM_CHANNELS];
    const int32_t sb = p[MN_SPECSUB_SMOOTHING_BITS], ssb = p[MN_SPECSUB_SPECTRAL_SUBTRACTION_BITS];
    const uint32_t min_remaining = (uint32_t)p[MN_SPECSUB_MIN_SIGNAL_REMAINING];
    for (int32_t i = 0; i < n; i++) {
        uint32_t smoothing = (uint32_t)p[(i & 1) ? MN_SPECSUB_ALT_SMOOTHING : MN_SPECSUB_SMOOTHING];
        uint32_t one_minus = (uint32_t)p[(i & 1) ? MN_SPECSUB_ALT_ONE_MINUS_SMOOTHING : MN_SPECSUB_ONE_MINUS_SMOOTHING];
        uint32_t scaled = input[i] << sb;
        uint32_t est = (uint32_t)(((uint64_t)scaled * smoothing + (uint64_t)state[i] * one_minus) >> ssb);
        state[i] = est;
        if (est > scaled) {
            est = scaled;
            if (p[MN_SPECSUB_CLAMPING]) {
                state[i] = est;
            }
        }
        uint32_t floor = (uint32_t)(((uint64_t)input[i] * min_remaining) >> ssb);
        uint32_t sub = (scaled - est) >> sb;
        output[i] = sub > floor ? sub : floor;
        noise_estimate[i] = state[i];
    }
}

// Gain as a piecewise quadratic of the noise estimate (lut: 4 coefficients per octave).
static int16_t mn_pcan_gain(uint32_t x, const int16_t *lut) {
    if (x <= 2) {
        return lut[x];
    }
    int32_t interval = mn_msb32(x);
    lut += 4 * interval - 6;
    int32_t frac = (int32_t)(((interval < 11) ? (x << (11 - interval)) : (x >> (interval - 11))) & 0x3FF);
    int32_t r = ((int32_t)lut[2] * frac) >> 5;
    r = (int32_t)((uint32_t)r + ((uint32_t)(int32_t)lut[1] << 5));
    r = (int32_t)((uint32_t)r * (uint32_t)frac);
    r = (int32_t)((uint32_t)r + (1u << 14)) >> 15;
    r += lut[0];
    return (int16_t)(uint16_t)(uint32_t)r;
}

void mn_signal_pcan(const uint32_t *input, const uint32_t *noise_estimate, const int16_t *gain_lut,
    uint32_t *output, int32_t n, int32_t snr_shift) {
    for (int32_t i = 0; i < n; i++) {
        uint32_t gain = (uint32_t)(int32_t)mn_pcan_gain(noise_estimate[i], gain_lut);
        uint32_t snr = (uint32_t)(((uint64_t)input[i] * gain) >> snr_shift);
        // shrink: x^2 / 4 below 2.0, x - 1 above (12 fractional bits in, 6 out)
        output[i] = snr < (2u << 12) ? (snr * snr) >> 20 : (snr >> 6) - (1u << 6);
    }
}

// log2(1 + i/128) - i/128 in 1/65536 units, rounded (i = 0..128), and a padding 0.
static const uint16_t mn_log_lut[130] = {
    0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797,
    2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633,
    4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
    5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586,
    5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000,
    4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
    3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207,
    2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094, 963, 830, 695, 559, 421, 282, 142,
    0, 0,
};

// ln(x) * out_scale in 16.16 fixed point, as TFLite Micro's Log32 (x >= 2).
static uint32_t mn_log32(uint32_t x, uint32_t out_scale) {
    uint32_t integer = (uint32_t)mn_msb32(x) - 1;
    int32_t frac = (int32_t)(x - ((uint32_t)1 << integer));
    if (integer < 16) {
        frac <<= 16 - integer;
    } else {
        frac >>= integer - 16;
    }
    uint32_t seg = (uint32_t)frac >> 9;
    int32_t c0 = mn_log_lut[seg], c1 = mn_log_lut[seg + 1];
    int32_t rel = ((c1 - c0) * (frac - (int32_t)(seg << 9))) >> 16;
    uint32_t fraction = (uint32_t)(frac + c0 + rel);
    uint32_t log2 = (integer << 16) + fraction;
    uint32_t loge = (uint32_t)(((uint64_t)45426 * log2 + 32768) >> 16);
    return (out_scale * loge + 32768u) >> 16;
}

void mn_signal_filter_bank_log(const uint32_t *input, int16_t *output, int32_t n,
    int32_t correction_bits, int32_t output_scale) {
    for (int32_t i = 0; i < n; i++) {
        uint32_t scaled = input[i] << correction_bits;
        if (scaled > 1) {
            uint32_t v = mn_log32(scaled, (uint32_t)output_scale);
            output[i] = (int16_t)(v < INT16_MAX ? v : INT16_MAX);
        } else {
            output[i] = 0;
        }
    }
}

#endif // MICRONN_OP_SIGNAL
