// ADD_N: the elementwise sum of n same-shaped inputs (TFLite Micro's add_n.cc, reference_ops AddN).
//   float32: x = 0.0f; x += input_j[i] for j in order
//   int8:    every value rescaled as ADD does (left shift 20, input multiplier 1/2); the sum starts
//            at the rescaled input offset (TFLM's start value -zero_point), int32 wrapping, then
//            rq(sum, output multiplier, shift) + output zero point, clamped to int8
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"

// declared in bind_math.h (the bindings are hand-written: a variadic input list)
void mn_add_n_f32(const int32_t *p, float *output, const float *const *inputs);
void mn_add_n_s8(const int32_t *p, int8_t *output, const int8_t *const *inputs);

void mn_add_n_f32(const int32_t *p, float *output, const float *const *inputs) {
    const int32_t count = p[MN_ADDN_COUNT], n = p[MN_ADDN_N];
    for (int32_t i = 0; i < count; i++) {
        float x = 0.0f;
        for (int32_t j = 0; j < n; j++) {
            x += inputs[j][i];
        }
        output[i] = x;
    }
}

void mn_add_n_s8(const int32_t *p, int8_t *output, const int8_t *const *inputs) {
    const int32_t count = p[MN_ADDN_COUNT], n = p[MN_ADDN_N];
    const int32_t off = p[MN_ADDN_INPUT_OFFSET], out_off = p[MN_ADDN_OUTPUT_OFFSET], ls = p[MN_ADDN_LEFT_SHIFT];
    const int32_t mi = p[MN_ADDN_IN_MULT], shi = p[MN_ADDN_IN_SHIFT];
    const int32_t mo = p[MN_ADDN_OUT_MULT], sho = p[MN_ADDN_OUT_SHIFT];
    const int32_t start = mn_requantize(off * (1 << ls), mi, shi);
    for (int32_t i = 0; i < count; i++) {
        uint32_t sum = (uint32_t)start;
        for (int32_t j = 0; j < n; j++) {
            sum += (uint32_t)mn_requantize((inputs[j][i] + off) * (1 << ls), mi, shi);
        }
        output[i] = (int8_t)mn_clamp(mn_requantize((int32_t)sum, mo, sho) + out_off, -128, 127);
    }
}

#endif // MICRONN_OP_MATH
