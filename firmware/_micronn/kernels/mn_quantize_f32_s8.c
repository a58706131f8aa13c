// The float32 graph edges: QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32, in single
// precision as TFLite Micro's AffineQuantize and Dequantize compute them.
#include "micronn.h"

// std::round for float (half away from zero), without libm.
static float mn_roundf(float x) {
    if (!(x > -8388608.0f && x < 8388608.0f)) {
        return x; // |x| >= 2^23 is already an integer (or inf/NaN)
    }
    float t = (float)(int32_t)x; // truncated; x - t is exact
    float frac = x - t;
    if (frac >= 0.5f) {
        t += 1.0f;
    } else if (frac <= -0.5f) {
        t -= 1.0f;
    }
    return t;
}

void mn_quantize_f32_s8(const float *input, int8_t *output, int32_t count, float scale, int32_t zero_point) {
    for (int32_t i = 0; i < count; i++) {
        float q = mn_roundf(input[i] / scale);
        int32_t r;
        if (q != q) {
            r = zero_point; // NaN
        } else {
            // Saturate before converting (TFLite Micro's cast is undefined out of int32 range).
            r = q < -512.0f ? -512 : (q > 512.0f ? 512 : (int32_t)q);
            r += zero_point;
        }
        output[i] = (int8_t)mn_clamp(r, -128, 127);
    }
}

void mn_dequantize_s8_f32(const int8_t *input, float *output, int32_t count, float scale, int32_t zero_point) {
    for (int32_t i = 0; i < count; i++) {
        output[i] = scale * (float)(input[i] - zero_point);
    }
}
