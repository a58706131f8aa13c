// INT16 area: AVERAGE_POOL_2D and MAX_POOL_2D int16, as TFLite Micro's reference_integer_ops
// int16 AveragePool / MaxPool: over the part of each window inside the input, the sum divided
// by the count rounded half away from zero (or the max from -32768), then the fused
// activation's range.
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"

MN_INLINE void mn_pool2d_s16(const int16_t *input, int16_t *output, const int32_t *p, const int is_max) {
    const int32_t in_h = p[MN_POOL16_IN_H], in_w = p[MN_POOL16_IN_W], ch = p[MN_POOL16_C];
    const int32_t k_h = p[MN_POOL16_K_H], k_w = p[MN_POOL16_K_W];
    const int32_t lo = p[MN_POOL16_ACT_MIN], hi = p[MN_POOL16_ACT_MAX];
    for (int32_t b = 0; b < p[MN_POOL16_N]; b++) {
        const int16_t *in_b = input + b * in_h * in_w * ch;
        for (int32_t oy = 0; oy < p[MN_POOL16_OUT_H]; oy++) {
            const int32_t y0 = oy * p[MN_POOL16_STRIDE_H] - p[MN_POOL16_PAD_TOP];
            int32_t ky0, ky1;
            mn_tap_range(y0, 1, in_h, k_h, &ky0, &ky1);
            for (int32_t ox = 0; ox < p[MN_POOL16_OUT_W]; ox++) {
                const int32_t x0 = ox * p[MN_POOL16_STRIDE_W] - p[MN_POOL16_PAD_LEFT];
                int32_t kx0, kx1;
                mn_tap_range(x0, 1, in_w, k_w, &kx0, &kx1);
                const int32_t count = (ky1 - ky0) * (kx1 - kx0); // 0 only for an empty window
                for (int32_t c = 0; c < ch; c++) {
                    // sum (< 2^31: at most 255 x 255 values) or max of input[y0 + ky, x0 + kx, c]
                    int32_t acc = is_max ? -32768 : 0;
                    for (int32_t ky = ky0; ky < ky1; ky++) {
                        const int16_t *row = in_b + ((y0 + ky) * in_w + x0) * ch + c;
                        for (int32_t kx = kx0; kx < kx1; kx++) {
                            if (is_max) {
                                acc = row[kx * ch] > acc ? row[kx * ch] : acc;
                            } else {
                                acc += row[kx * ch];
                            }
                        }
                    }
                    if (!is_max && count > 0) {
                        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                    }
                    *output++ = (int16_t)mn_clamp(acc, lo, hi);
                }
            }
        }
    }
}

void mn_avg_pool2d_s16(const int16_t *input, int16_t *output, const int32_t *p) {
    mn_pool2d_s16(input, output, p, 0);
}

void mn_max_pool2d_s16(const int16_t *input, int16_t *output, const int32_t *p) {
    mn_pool2d_s16(input, output, p, 1);
}

#endif // MICRONN_OP_INT16
