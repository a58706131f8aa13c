// Elementwise area: CAST between int8, uint8, int16, int32, uint32 and float32, and from bool (0/1).
// Integer to integer: the value modulo 2^bits of the output type (C conversions).
// float32 to an integer type: truncated toward zero, saturated to the output type's range and
// NaN -> 0, as the TFLite Micro build the tests run gives; the range checks come before the
// conversion, so no board reaches C's undefined out-of-range conversion.
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "micronn.h"

// micronn dtype codes (firmware/micronn/oplist.py DTYPE_NAMES).
enum { MN_CAST_S8 = 0, MN_CAST_U8 = 1, MN_CAST_S16 = 2, MN_CAST_S32 = 3, MN_CAST_F32 = 4, MN_CAST_U32 = 5,
       MN_CAST_BOOL = 7 };

// Integer values go through a uint32: every conversion between these types is the value modulo 2^bits.
MN_INLINE uint32_t mn_cast_load(const void *p, int32_t i, int32_t dtype) {
    switch (dtype) {
        case MN_CAST_S8: return (uint32_t)(int32_t)((const int8_t *)p)[i];
        case MN_CAST_U8: return ((const uint8_t *)p)[i];
        case MN_CAST_BOOL: return ((const uint8_t *)p)[i] != 0;
        case MN_CAST_S16: return (uint32_t)(int32_t)((const int16_t *)p)[i];
        default: return ((const uint32_t *)p)[i]; // int32, uint32
    }
}

#define MN_CAST_LOOP(T) do { \
        T *o = (T *)output; \
        for (int32_t i = 0; i < n; i++) { \
            o[i] = (T)mn_cast_load(input, i, in_dtype); \
        } \
} while (0)

// x truncated toward zero and saturated to [lo, hi] (lo <= 0 < hi; lo exact in float32, hi exact
// or rounding up to a power of two); NaN -> 0.
MN_INLINE int32_t mn_cast_f32_s32(float x, float lo, float hi, int32_t lo_i, int32_t hi_i) {
    if (x != x) {
        return 0;
    }
    if (x <= lo) {
        return lo_i;
    }
    if (x >= hi) {
        return hi_i;
    }
    return (int32_t)x; // lo < x < hi: in range
}

static void mn_cast_from_f32(const float *x, void *output, int32_t n, int32_t out_dtype) {
    switch (out_dtype) {
        case MN_CAST_S8: {
            int8_t *o = (int8_t *)output;
            for (int32_t i = 0; i < n; i++) {
                o[i] = (int8_t)mn_cast_f32_s32(x[i], -128.0f, 127.0f, -128, 127);
            }
            break;
        }
        case MN_CAST_U8: {
            uint8_t *o = (uint8_t *)output;
            for (int32_t i = 0; i < n; i++) {
                o[i] = (uint8_t)mn_cast_f32_s32(x[i], 0.0f, 255.0f, 0, 255);
            }
            break;
        }
        case MN_CAST_S16: {
            int16_t *o = (int16_t *)output;
            for (int32_t i = 0; i < n; i++) {
                o[i] = (int16_t)mn_cast_f32_s32(x[i], -32768.0f, 32767.0f, -32768, 32767);
            }
            break;
        }
        case MN_CAST_S32: {
            int32_t *o = (int32_t *)output;
            for (int32_t i = 0; i < n; i++) {
                // 2147483647.0f is 2^31: x >= 2^31 saturates, x > -2^31 converts exactly.
                o[i] = mn_cast_f32_s32(x[i], -2147483648.0f, 2147483647.0f, INT32_MIN, INT32_MAX);
            }
            break;
        }
        case MN_CAST_U32: {
            uint32_t *o = (uint32_t *)output;
            for (int32_t i = 0; i < n; i++) {
                float v = x[i];
                // 4294967295.0f is 2^32; NaN fails both tests and gives 0 as TFLM's build does.
                o[i] = v > 0.0f ? (v >= 4294967295.0f ? 0xFFFFFFFFu : (uint32_t)v) : 0u;
            }
            break;
        }
        default: // float32: the same bits (NaN payloads kept)
            __builtin_memcpy(output, x, (uint32_t)n * 4u);
            break;
    }
}

static void mn_cast_to_f32(const void *input, float *o, int32_t n, int32_t in_dtype) {
    if (in_dtype == MN_CAST_U32) {
        const uint32_t *x = (const uint32_t *)input;
        for (int32_t i = 0; i < n; i++) {
            o[i] = (float)x[i]; // rounded to nearest even
        }
        return;
    }
    for (int32_t i = 0; i < n; i++) {
        o[i] = (float)(int32_t)mn_cast_load(input, i, in_dtype);
    }
}

void mn_cast(const void *input, void *output, int32_t n, int32_t in_dtype, int32_t out_dtype) {
    if (in_dtype == MN_CAST_F32) {
        mn_cast_from_f32((const float *)input, output, n, out_dtype);
        return;
    }
    switch (out_dtype) {
        case MN_CAST_F32: mn_cast_to_f32(input, (float *)output, n, in_dtype); break;
        case MN_CAST_S8: MN_CAST_LOOP(uint8_t); break; // int8: the same bits as uint8
        case MN_CAST_U8: MN_CAST_LOOP(uint8_t); break;
        case MN_CAST_S16: MN_CAST_LOOP(uint16_t); break;
        default: MN_CAST_LOOP(uint32_t); break; // int32, uint32
    }
}

#endif // MICRONN_OP_ELEMENTWISE
