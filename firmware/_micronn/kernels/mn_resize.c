// SHAPE area: RESIZE_NEAREST_NEIGHBOR (any element size) and RESIZE_BILINEAR (float32, int8) on
// NHWC tensors, as TFLite Micro's reference kernels compute them: the nearest source row/column
// from a float32 scale (GetNearestNeighbor), float32 bilinear taps summed unfused in the
// reference's order (ResizeBilinear), and the int8 path's own 10-bit fixed point
// (ResizeBilinearInteger, double rounding: ties away from zero).
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#pragma GCC optimize("fp-contract=off")

#include <stddef.h>

#include "micronn.h"
#include "mn_index.h"

// floor and ceil of a float of int32 range (no libm: the Xtensa compile check has no math.h).
MN_INLINE int32_t mn_floor_i32(float v) {
    int32_t t = (int32_t)v;
    return (float)t > v ? t - 1 : t;
}

MN_INLINE int32_t mn_ceil_i32(float v) {
    int32_t t = (int32_t)v;
    return (float)t < v ? t + 1 : t;
}

// in_size / out_size, or (in_size - 1) / (out_size - 1) with align_corners, in float32.
MN_INLINE float mn_resize_scale(int32_t in_size, int32_t out_size, int32_t align_corners) {
    if (align_corners && out_size > 1) {
        return (float)(in_size - 1) / (float)(out_size - 1);
    }
    return (float)in_size / (float)out_size;
}

// The source index of output index i (TFLM's GetNearestNeighbor): (i + offset) * scale rounded
// half away from zero (align_corners) or down, at most in_size - 1; never negative here.
static int32_t mn_nearest_src(int32_t i, int32_t in_size, float scale, int32_t align_corners, int32_t half_pixel) {
    const float v = ((float)i + (half_pixel ? 0.5f : 0.0f)) * scale;
    int32_t s = (int32_t)v;
    if (align_corners && v - (float)s >= 0.5f) {
        s++;
    }
    return s < in_size - 1 ? s : in_size - 1;
}

void mn_resize_nearest(const void *input, void *output, const int32_t *p) {
    const int32_t n = p[MN_RESIZE_N], in_h = p[MN_RESIZE_IN_H], in_w = p[MN_RESIZE_IN_W];
    const int32_t out_h = p[MN_RESIZE_OUT_H], out_w = p[MN_RESIZE_OUT_W];
    const int32_t ac = p[MN_RESIZE_ALIGN_CORNERS], hp = p[MN_RESIZE_HALF_PIXEL];
    const size_t pixel = (size_t)p[MN_RESIZE_C] * (size_t)p[MN_RESIZE_ELEM]; // one pixel's bytes
    const float sy = mn_resize_scale(in_h, out_h, ac), sx = mn_resize_scale(in_w, out_w, ac);
    const uint8_t *in = input;
    uint8_t *out = output;
    // input [n, in_h, in_w, pixel] -> output [n, out_h, out_w, pixel], one pixel per copy
    for (int32_t b = 0; b < n; b++) {
        const uint8_t *image = in + (size_t)b * (size_t)in_h * (size_t)in_w * pixel;
        for (int32_t y = 0; y < out_h; y++) {
            const uint8_t *row = image + (size_t)mn_nearest_src(y, in_h, sy, ac, hp) * (size_t)in_w * pixel;
            for (int32_t x = 0; x < out_w; x++) {
                __builtin_memcpy(out, row + (size_t)mn_nearest_src(x, in_w, sx, ac, hp) * pixel, pixel);
                out += pixel;
            }
        }
    }
}

// Float source coordinate of output index i and its two taps (TFLM's ComputeInterpolationValues).
static float mn_bilinear_src(int32_t i, float scale, int32_t half_pixel, int32_t in_size, int32_t *lo, int32_t *hi) {
    const float v = half_pixel ? ((float)i + 0.5f) * scale - 0.5f : (float)i * scale;
    const int32_t f = mn_floor_i32(v), c = mn_ceil_i32(v);
    *lo = f > 0 ? (f < in_size - 1 ? f : in_size - 1) : 0; // (above in_size - 1 only for params TFLM refuses)
    *hi = c < in_size - 1 ? c : in_size - 1;
    return v;
}

void mn_resize_bilinear_f32(const float *input, float *output, const int32_t *p) {
    const int32_t n = p[MN_RESIZE_N], in_h = p[MN_RESIZE_IN_H], in_w = p[MN_RESIZE_IN_W], c = p[MN_RESIZE_C];
    const int32_t out_h = p[MN_RESIZE_OUT_H], out_w = p[MN_RESIZE_OUT_W];
    const int32_t ac = p[MN_RESIZE_ALIGN_CORNERS], hp = p[MN_RESIZE_HALF_PIXEL];
    const float sy = mn_resize_scale(in_h, out_h, ac), sx = mn_resize_scale(in_w, out_w, ac);
    const size_t row = (size_t)in_w * (size_t)c;
    for (int32_t b = 0; b < n; b++) {
        const float *image = input + (size_t)b * (size_t)in_h * row;
        for (int32_t y = 0; y < out_h; y++) {
            int32_t y0, y1;
            const float dy = mn_bilinear_src(y, sy, hp, in_h, &y0, &y1) - (float)y0;
            const float *r0 = image + (size_t)y0 * row, *r1 = image + (size_t)y1 * row;
            for (int32_t x = 0; x < out_w; x++) {
                int32_t x0, x1;
                const float dx = mn_bilinear_src(x, sx, hp, in_w, &x0, &x1) - (float)x0;
                const float *p00 = r0 + (size_t)x0 * c, *p10 = r1 + (size_t)x0 * c;
                const float *p01 = r0 + (size_t)x1 * c, *p11 = r1 + (size_t)x1 * c;
                // the reference's expression, term by term, then + 0.0f (its rounding offset for floats)
                for (int32_t k = 0; k < c; k++) {
                    const float v = p00[k] * (1.0f - dy) * (1.0f - dx) + p10[k] * dy * (1.0f - dx)
                        + p01[k] * (1.0f - dy) * dx + p11[k] * dy * dx;
                    *output++ = v + 0.0f;
                }
            }
        }
    }
}

// 10-bit fixed-point source coordinate of output index i and its two taps.
static int32_t mn_bilinear_src_q10(int32_t i, int32_t scale_10, int32_t half_pixel, int32_t in_size,
    int32_t *lo, int32_t *hi) {
    const int32_t v = half_pixel ? i * scale_10 + scale_10 / 2 - (1 << 9) : i * scale_10;
    const int32_t f = v / (1 << 10), c = (v + (1 << 10) - 1) / (1 << 10);
    *lo = f > 0 ? (f < in_size - 1 ? f : in_size - 1) : 0;
    *hi = c < in_size - 1 ? c : in_size - 1;
    return v;
}

MN_INLINE int32_t mn_scale_q10(int32_t in_size, int32_t out_size, int32_t align_corners) {
    if (align_corners && out_size > 1) {
        return ((1 << 10) * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1);
    }
    return ((1 << 10) * in_size + out_size / 2) / out_size;
}

void mn_resize_bilinear_s8(const int8_t *input, int8_t *output, const int32_t *p) {
    const int32_t n = p[MN_RESIZE_N], in_h = p[MN_RESIZE_IN_H], in_w = p[MN_RESIZE_IN_W], c = p[MN_RESIZE_C];
    const int32_t out_h = p[MN_RESIZE_OUT_H], out_w = p[MN_RESIZE_OUT_W];
    const int32_t ac = p[MN_RESIZE_ALIGN_CORNERS], hp = p[MN_RESIZE_HALF_PIXEL];
    const int32_t sy = mn_scale_q10(in_h, out_h, ac), sx = mn_scale_q10(in_w, out_w, ac);
    const size_t row = (size_t)in_w * (size_t)c;
    for (int32_t b = 0; b < n; b++) {
        const int8_t *image = input + (size_t)b * (size_t)in_h * row;
        for (int32_t y = 0; y < out_h; y++) {
            int32_t y0, y1;
            const int32_t dy = mn_bilinear_src_q10(y, sy, hp, in_h, &y0, &y1) - (1 << 10) * y0;
            const int8_t *r0 = image + (size_t)y0 * row, *r1 = image + (size_t)y1 * row;
            for (int32_t x = 0; x < out_w; x++) {
                int32_t x0, x1;
                const int32_t dx = mn_bilinear_src_q10(x, sx, hp, in_w, &x0, &x1) - (1 << 10) * x0;
                const int8_t *p00 = r0 + (size_t)x0 * c, *p10 = r1 + (size_t)x0 * c;
                const int8_t *p01 = r0 + (size_t)x1 * c, *p11 = r1 + (size_t)x1 * c;
                const int64_t wy0 = (1 << 10) - dy, wx0 = (1 << 10) - dx;
                for (int32_t k = 0; k < c; k++) {
                    const int64_t acc = p00[k] * wy0 * wx0 + p10[k] * (int64_t)dy * wx0
                        + p01[k] * wy0 * dx + p11[k] * (int64_t)dy * dx;
                    const int64_t half = acc > 0 ? (1 << 19) : -(1 << 19);
                    *output++ = (int8_t)((acc + half) / (1 << 20));
                }
            }
        }
    }
}

#endif // MICRONN_OP_SHAPE
