// SELECT_V2 int16 with 4-D broadcasting (TFLite Micro's select.cc, int16): the body of the
// float32/int8 ones (mn_select.h) on 2-byte elements.
#include "micronn_config.h"
#if MICRONN_OP_INT16

#include "micronn.h"
#include "mn_select.h"

void mn_select_s16(const uint8_t *condition, const int16_t *x, const int16_t *y, int16_t *output, const int32_t *p) {
    mn_select_any(condition, (const uint8_t *)x, (const uint8_t *)y, (uint8_t *)output, p + MN_SELECT16_D0,
        p + MN_SELECT16_COND_S0, p + MN_SELECT16_X_S0, p + MN_SELECT16_Y_S0, 2);
}

#endif // MICRONN_OP_INT16
