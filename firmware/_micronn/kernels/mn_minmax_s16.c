// MINIMUM / MAXIMUM int16 with 4-D broadcasting: TFLite Micro's MaximumMinimumBroadcastSlow on
// the raw values (the quantization is not looked at), the body of the int8/int64 ones (mn_minmax.h).
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_minmax.h"

void mn_minmax_s16(const int16_t *input1, const int16_t *input2, int16_t *output, const int32_t *p) {
    const int32_t *d = p + MN_MINMAX16_D0, *s1 = p + MN_MINMAX16_IN1_S0, *s2 = p + MN_MINMAX16_IN2_S0;
    const int max = p[MN_MINMAX16_OP] == 1;
    MN_MINMAX_BODY(int16_t, d, s1, s2, max)
}

#endif // MICRONN_OP_INT16
