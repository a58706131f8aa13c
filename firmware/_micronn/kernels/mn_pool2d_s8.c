// Average and max pooling int8: plain C reference path (bit-exact with TFLite Micro's
// reference_integer_ops::AveragePool / MaxPool).
#include "micronn.h"

// Both poolings: the same window walk; `is_max` is a constant at each call, so each public
// function gets its own specialized copy.
MN_INLINE void mn_pool2d_s8(const int8_t *input, int8_t *output, const int32_t *p, const int is_max) {
    const int32_t in_h = p[MN_POOL_IN_H], in_w = p[MN_POOL_IN_W], ch = p[MN_POOL_C];
    const int32_t k_h = p[MN_POOL_K_H], k_w = p[MN_POOL_K_W];
    for (int32_t b = 0; b < p[MN_POOL_N]; b++) {
        const int8_t *in_b = input + b * in_h * in_w * ch;
        for (int32_t oy = 0; oy < p[MN_POOL_OUT_H]; oy++) {
            const int32_t y0 = oy * p[MN_POOL_STRIDE_H] - p[MN_POOL_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, 1, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < p[MN_POOL_OUT_W]; ox++) {
                const int32_t x0 = ox * p[MN_POOL_STRIDE_W] - p[MN_POOL_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, 1, in_w, k_w, &kx0, &kx1);
                const int32_t count = (ky1 - ky0) * (kx1 - kx0); // > 0: checked by the binding
                for (int32_t c = 0; c < ch; c++) {
                    // sum (or max) of input[y0 + ky, x0 + kx, c] over the in-bounds window
                    int32_t acc = is_max ? -128 : 0;
                    for (int32_t ky = ky0; ky < ky1; ky++) {
                        const int8_t *row = in_b + ((y0 + ky) * in_w + x0) * ch + c;
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            if (is_max) {
                                acc = row[kx * ch] > acc ? row[kx * ch] : acc;
                            } else {
                                acc += row[kx * ch];
                            }
                        }
                    }
                    if (!is_max) {
                        // Round half away from zero (C division truncates).
                        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    }
                    *output++ = (int8_t)mn_clamp(acc, p[MN_POOL_ACT_MIN], p[MN_POOL_ACT_MAX]);
                }
            }
        }
    }
}

void mn_avg_pool2d_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    mn_pool2d_s8(input, output, p, 0);
}

void mn_max_pool2d_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    mn_pool2d_s8(input, output, p, 1);
}
