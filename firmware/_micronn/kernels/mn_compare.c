// Comparisons with 4-D broadcasting, bool output (TFLite Micro's comparisons.cc with
// reference_ops EqualFn ... LessEqualFn): params.op is 0 EQUAL, 1 NOT_EQUAL, 2 GREATER,
// 3 GREATER_EQUAL, 4 LESS, 5 LESS_EQUAL. int8 compares both inputs brought to a common scale,
// rq((x + offset) << left_shift, multiplier, shift) (ComparisonWithScaling), as int32.
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"

// Each op as the outcomes that make it true (bit 0 a < b, bit 1 a == b, bit 2 a > b) and bit 3:
// negate. NOT_EQUAL is !(a == b): true for a NaN, where none of the three outcomes holds.
static const uint8_t mn_cmp_truth[6] = { 2, 2 | 8, 4, 4 | 2, 1, 1 | 2 };

#define MN_CMP_BODY(T, LOAD1, LOAD2) \
    const int32_t *d = p + MN_CMP_D0, *s1 = p + MN_CMP_IN1_S0, *s2 = p + MN_CMP_IN2_S0; \
    const unsigned truth = mn_cmp_truth[p[MN_CMP_OP]], want = truth & 7u, negate = truth >> 3; \
    for (int32_t i0 = 0; i0 < d[0]; i0++) { \
        for (int32_t i1 = 0; i1 < d[1]; i1++) { \
            for (int32_t i2 = 0; i2 < d[2]; i2++) { \
                const T *x = input1 + i0 * s1[0] + i1 * s1[1] + i2 * s1[2]; \
                const T *y = input2 + i0 * s2[0] + i1 * s2[1] + i2 * s2[2]; \
                for (int32_t i3 = 0; i3 < d[3]; i3++) { \
                    const LOAD1(x[i3 * s1[3]]), b = LOAD2(y[i3 * s2[3]]); \
                    const unsigned got = (unsigned)(a < b) | (unsigned)(a == b) << 1 | (unsigned)(a > b) << 2; \
                    *output++ = (uint8_t)(((got & want) != 0) ^ negate); \
                } \
            } \
        } \
    }

#define MN_CMP_PLAIN(T) T a = (T)
#define MN_CMP_SAME(v) (v)

void mn_compare_f32(const float *input1, const float *input2, uint8_t *output, const int32_t *p) {
    MN_CMP_BODY(float, MN_CMP_PLAIN(float), MN_CMP_SAME)
}

void mn_compare_s32(const int32_t *input1, const int32_t *input2, uint8_t *output, const int32_t *p) {
    MN_CMP_BODY(int32_t, MN_CMP_PLAIN(int32_t), MN_CMP_SAME)
}

// int64 tensors are 4-byte aligned in the arena and the file: loaded by memcpy, not as int64_t.
static inline int64_t mn_cmp_load64(const int64_t *v) {
    int64_t r;
    __builtin_memcpy(&r, v, sizeof r);
    return r;
}
#define MN_CMP_LOAD64(v) mn_cmp_load64(&(v))

void mn_compare_s64(const int64_t *input1, const int64_t *input2, uint8_t *output, const int32_t *p) {
    MN_CMP_BODY(int64_t, MN_CMP_PLAIN(int64_t) MN_CMP_LOAD64, MN_CMP_LOAD64)
}

void mn_compare_bool(const uint8_t *input1, const uint8_t *input2, uint8_t *output, const int32_t *p) {
    MN_CMP_BODY(uint8_t, MN_CMP_PLAIN(uint8_t), MN_CMP_SAME)
}

void mn_compare_s8(const int8_t *input1, const int8_t *input2, uint8_t *output, const int32_t *p) {
    const int32_t off1 = p[MN_CMP_IN1_OFFSET], off2 = p[MN_CMP_IN2_OFFSET], ls = p[MN_CMP_LEFT_SHIFT];
    const int32_t m1 = p[MN_CMP_IN1_MULT], sh1 = p[MN_CMP_IN1_SHIFT];
    const int32_t m2 = p[MN_CMP_IN2_MULT], sh2 = p[MN_CMP_IN2_SHIFT];
    #define MN_CMP_RQ1(v) int32_t a = mn_requantize((int32_t)((v) + off1) * (1 << ls), m1, sh1)
    #define MN_CMP_RQ2(v) mn_requantize((int32_t)((v) + off2) * (1 << ls), m2, sh2)
    MN_CMP_BODY(int8_t, MN_CMP_RQ1, MN_CMP_RQ2)
    #undef MN_CMP_RQ1
    #undef MN_CMP_RQ2
}

#endif // MICRONN_OP_MATH
