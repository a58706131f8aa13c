// NN area: L2_POOL_2D float32, as TFLite Micro's reference L2Pool: over the part of each window
// inside the input, sqrtf(sum of squares / count) (the squares summed in float, in window
// order, unfused), then the fused activation's float range.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include <float.h>
#include "micronn.h"

float sqrtf(float x); // libm (declared here: the Xtensa compile check has no math.h)

void mn_l2_pool2d_f32(const float *input, float *output, const int32_t *p) {
    const int32_t n = p[MN_L2POOL_N], in_h = p[MN_L2POOL_IN_H], in_w = p[MN_L2POOL_IN_W], c = p[MN_L2POOL_C];
    const int32_t out_h = p[MN_L2POOL_OUT_H], out_w = p[MN_L2POOL_OUT_W];
    const int32_t k_h = p[MN_L2POOL_K_H], k_w = p[MN_L2POOL_K_W];
    const int32_t sh = p[MN_L2POOL_STRIDE_H], sw = p[MN_L2POOL_STRIDE_W];
    static const float lo_of[4] = {-FLT_MAX, 0.0f, -1.0f, 0.0f}, hi_of[4] = {FLT_MAX, FLT_MAX, 1.0f, 6.0f};
    const float lo = lo_of[p[MN_L2POOL_ACT]], hi = hi_of[p[MN_L2POOL_ACT]];
    for (int32_t b = 0; b < n; b++) {
        for (int32_t oy = 0; oy < out_h; oy++) {
            const int32_t y0 = oy * sh - p[MN_L2POOL_PAD_TOP];
            const int32_t fy0 = y0 < 0 ? -y0 : 0, fy1 = k_h < in_h - y0 ? k_h : in_h - y0;
            for (int32_t ox = 0; ox < out_w; ox++) {
                const int32_t x0 = ox * sw - p[MN_L2POOL_PAD_LEFT];
                const int32_t fx0 = x0 < 0 ? -x0 : 0, fx1 = k_w < in_w - x0 ? k_w : in_w - x0;
                for (int32_t ch = 0; ch < c; ch++) {
                    float sum = 0.0f;
                    int32_t count = 0;
                    for (int32_t fy = fy0; fy < fy1; fy++) {
                        const float *row = input + ((b * in_h + y0 + fy) * in_w + x0) * c + ch;
                        for (int32_t fx = fx0; fx < fx1; fx++) {
                            const float v = row[fx * c];
                            const float sq = v * v;
                            sum += sq;
                            count++;
                        }
                    }
                    float r = sqrtf(sum / (float)count);
                    r = r < lo ? lo : r;
                    *output++ = hi < r ? hi : r;
                }
            }
        }
    }
}

#endif // MICRONN_OP_NN
