// MINIMUM / MAXIMUM int8 and int64 with 4-D broadcasting: TFLite Micro's
// MaximumMinimumBroadcastSlow on the raw values (an int8 tensor's quantization is not looked at);
// the body is mn_minmax.h's.
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"
#include "mn_minmax.h"

void mn_minmax_s8(const int8_t *input1, const int8_t *input2, int8_t *output, const int32_t *p) {
    const int32_t *d = p + MN_MINMAX_D0, *s1 = p + MN_MINMAX_IN1_S0, *s2 = p + MN_MINMAX_IN2_S0;
    const int max = p[MN_MINMAX_OP] == 1;
    MN_MINMAX_BODY(int8_t, d, s1, s2, max)
}

void mn_minmax_s64(const int64_t *input1, const int64_t *input2, int64_t *output, const int32_t *p) {
    const int32_t *d = p + MN_MINMAX_D0, *s1 = p + MN_MINMAX_IN1_S0, *s2 = p + MN_MINMAX_IN2_S0;
    const int max = p[MN_MINMAX_OP] == 1;
    MN_MINMAX_BODY(int64_t, d, s1, s2, max)
}

#endif // MICRONN_OP_MATH
