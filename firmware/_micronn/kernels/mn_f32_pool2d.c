// NN area: AVERAGE_POOL_2D and MAX_POOL_2D float32, as TFLite Micro's reference AveragePool /
// MaxPool: over the part of each window inside the input, the float sum from 0.0f (in window
// order) divided by the float count, or the max from -FLT_MAX by std::max (a NaN never wins);
// then the fused activation's float range.
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"
#include "mn_f32.h"

// The window loop nest: BODY runs for every input element v of the window of (b, oy, ox, ch).
#define MN_F32_POOL_LOOPS(INIT, BODY, RESULT) do { \
        const int32_t n = p[MN_F32POOL_N], in_h = p[MN_F32POOL_IN_H], in_w = p[MN_F32POOL_IN_W]; \
        const int32_t c = p[MN_F32POOL_C], out_h = p[MN_F32POOL_OUT_H], out_w = p[MN_F32POOL_OUT_W]; \
        const int32_t k_h = p[MN_F32POOL_K_H], k_w = p[MN_F32POOL_K_W]; \
        const int32_t sh = p[MN_F32POOL_STRIDE_H], sw = p[MN_F32POOL_STRIDE_W]; \
        float lo, hi; \
        mn_f32_act_range(p[MN_F32POOL_ACT], &lo, &hi); \
        for (int32_t b = 0; b < n; b++) { \
            for (int32_t oy = 0; oy < out_h; oy++) { \
                const int32_t y0 = oy * sh - p[MN_F32POOL_PAD_TOP]; \
                const int32_t fy0 = y0 < 0 ? -y0 : 0, fy1 = k_h < in_h - y0 ? k_h : in_h - y0; \
                for (int32_t ox = 0; ox < out_w; ox++) { \
                    const int32_t x0 = ox * sw - p[MN_F32POOL_PAD_LEFT]; \
                    const int32_t fx0 = x0 < 0 ? -x0 : 0, fx1 = k_w < in_w - x0 ? k_w : in_w - x0; \
                    for (int32_t ch = 0; ch < c; ch++) { \
                        INIT; \
                        for (int32_t fy = fy0; fy < fy1; fy++) { \
                            const float *row = input + ((b * in_h + y0 + fy) * in_w + x0) * c + ch; \
                            for (int32_t fx = fx0; fx < fx1; fx++) { \
                                const float v = row[fx * c]; \
                                BODY; \
                            } \
                        } \
                        *output++ = mn_f32_clamp(RESULT, lo, hi); \
                    } \
                } \
            } \
        } \
} while (0)

void mn_avg_pool2d_f32(const float *input, float *output, const int32_t *p) {
    MN_F32_POOL_LOOPS(float total = 0.0f; float count = 0.0f, total += v; count += 1.0f, total / count);
}

void mn_max_pool2d_f32(const float *input, float *output, const int32_t *p) {
    MN_F32_POOL_LOOPS(float m = -FLT_MAX, m = m < v ? v : m, m);
}

#endif // MICRONN_OP_NN
