// NN area: PRELU float32 with 4-D broadcasting, as TFLite Micro's BroadcastPrelu4DSlowFloat:
// output = input >= 0 ? input : input * alpha.
#include "micronn_config.h"
#if MICRONN_OP_NN

#include "micronn.h"

void mn_prelu_f32(const float *input, const float *alpha, float *output, const int32_t *p) {
    const int32_t *d = p + MN_F32PRELU_D0, *si = p + MN_F32PRELU_IN_S0, *sa = p + MN_F32PRELU_ALPHA_S0;
    for (int32_t i0 = 0; i0 < d[0]; i0++) {
        for (int32_t i1 = 0; i1 < d[1]; i1++) {
            for (int32_t i2 = 0; i2 < d[2]; i2++) {
                const float *x = input + i0 * si[0] + i1 * si[1] + i2 * si[2];
                const float *a = alpha + i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
                for (int32_t i3 = 0; i3 < d[3]; i3++) {
                    const float v = x[i3 * si[3]];
                    *output++ = v >= 0.0f ? v : v * a[i3 * sa[3]];
                }
            }
        }
    }
}

#endif // MICRONN_OP_NN
