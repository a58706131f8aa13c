// SELECT_V2 with 4-D broadcasting of condition, x and y (TFLite Micro's select.cc:
// reference_ops Select / BroadcastSelect5DSlow): output = condition ? x : y. Pure data movement,
// one body for every element size (mn_select.h).
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "micronn.h"
#include "mn_select.h"

#define MN_SELECT_STRIDES(p) p + MN_SELECT_D0, p + MN_SELECT_COND_S0, p + MN_SELECT_X_S0, p + MN_SELECT_Y_S0

void mn_select_f32(const uint8_t *condition, const float *x, const float *y, float *output, const int32_t *p) {
    mn_select_any(condition, (const uint8_t *)x, (const uint8_t *)y, (uint8_t *)output, MN_SELECT_STRIDES(p), 4);
}

void mn_select_s8(const uint8_t *condition, const int8_t *x, const int8_t *y, int8_t *output, const int32_t *p) {
    mn_select_any(condition, (const uint8_t *)x, (const uint8_t *)y, (uint8_t *)output, MN_SELECT_STRIDES(p), 1);
}

#endif // MICRONN_OP_MATH
