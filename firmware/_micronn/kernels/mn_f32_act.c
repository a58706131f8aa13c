// NN area: the single-input float32 activations (params.op), as TFLite Micro's reference float
// kernels compute them element by element:
//   RELU        x < 0 ? 0 : x                      (ReluFloat)
//   RELU6       x > 6 ? 6 : x < 0 ? 0 : x          (Relu6Float)
//   LEAKY_RELU  x > 0 ? x : x * alpha
//   HARD_SWISH  x * min(6, max(0, x + 3)) / 6      (std::min / std::max argument order)
//   LOGISTIC    x > 16.619047f ? 1 : x < -9 ? expf(x) : 1 / (1 + expf(-x))
//   TANH        tanhf(x)                           (std::tanh)
//   ELU         x < 0 ? expm1f(x) : x              (TfLiteExpm1)
// expf, tanhf, expm1f are mn_expf, mn_tanhf, mn_expm1f (kernels/mn_libm_f32.c): glibc's bits,
// which TFLM's std::exp, std::tanh, std::expm1 give on the host.
#include "micronn_config.h"
#if MICRONN_OP_NN

#pragma GCC optimize("fp-contract=off")

#include "micronn.h"
#include "mn_libm_f32.h"

enum { MN_F32ACT_RELU, MN_F32ACT_RELU6, MN_F32ACT_LEAKY_RELU, MN_F32ACT_HARD_SWISH, MN_F32ACT_LOGISTIC,
       MN_F32ACT_TANH, MN_F32ACT_ELU };

// One loop per op (the op is chosen once per call); input and output may be the same buffer.
#define MN_F32ACT_LOOP(EXPR) \
    for (int32_t i = 0; i < count; i++) { \
        const float x = input[i]; \
        output[i] = (EXPR); \
    } \
    break

MN_INLINE float mn_f32act_hard_swish(float x) {
    const float up = x + 3.0f;
    const float r = 0.0f < up ? up : 0.0f; // std::max(0, x + 3)
    const float c = r < 6.0f ? r : 6.0f;   // std::min(6, r)
    return x * c / 6.0f;
}

MN_INLINE float mn_f32act_logistic(float x) {
    if (x > 16.619047164916992188f) {
        return 1.0f;
    }
    if (x < -9.0f) {
        return mn_expf(x);
    }
    return 1.0f / (1.0f + mn_expf(-x));
}

void mn_act_f32(const float *input, float *output, int32_t count, const int32_t *p) {
    float alpha;
    __builtin_memcpy(&alpha, &p[MN_F32ACT_ALPHA], sizeof alpha); // (no string.h on Xtensa)
    switch (p[MN_F32ACT_OP]) {
        case MN_F32ACT_RELU:
            MN_F32ACT_LOOP(x < 0.0f ? 0.0f : x);
        case MN_F32ACT_RELU6:
            MN_F32ACT_LOOP(x > 6.0f ? 6.0f : x < 0.0f ? 0.0f : x);
        case MN_F32ACT_LEAKY_RELU:
            MN_F32ACT_LOOP(x > 0.0f ? x : x * alpha);
        case MN_F32ACT_HARD_SWISH:
            MN_F32ACT_LOOP(mn_f32act_hard_swish(x));
        case MN_F32ACT_LOGISTIC:
            MN_F32ACT_LOOP(mn_f32act_logistic(x));
        case MN_F32ACT_TANH:
            MN_F32ACT_LOOP(mn_tanhf(x));
        default:
            MN_F32ACT_LOOP(x < 0.0f ? mn_expm1f(x) : x);
    }
}

#endif // MICRONN_OP_NN
