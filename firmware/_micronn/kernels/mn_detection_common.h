// Helpers shared by the detection kernels (mn_detection_postprocess.c, mn_nms.c).
#ifndef MN_DETECTION_COMMON_H
#define MN_DETECTION_COMMON_H

#include <stdint.h>

#include "micronn.h"

typedef struct {
    float ymin, xmin, ymax, xmax;
} mn_det_box_t;

// exp(x) in double (about 1 ulp), the same on every board.
double mn_det_exp(double x);
// TFLite's ComputeIntersectionOverUnion in float (0 when either box is empty).
float mn_det_iou(const mn_det_box_t *a, const mn_det_box_t *b);
// Stable sort of idx[0..n) by keys[idx[i]] descending; tmp [n].
void mn_det_sort_desc(int32_t *idx, int32_t *tmp, int32_t n, const int32_t *keys);

// The float whose bits are `bits` (params carry floats as int32).
MN_INLINE float mn_det_f32(int32_t bits) {
    float f;
    __builtin_memcpy(&f, &bits, 4);
    return f;
}

// Element i of a float32, int8 or uint8 (MN_DET_*) tensor as a float: (q - zp) * scale for the
// quantized ones, as TFLM dequantizes.
MN_INLINE float mn_det_value(const void *data, int32_t type, int32_t i, int32_t zp, float scale) {
    if (type == MN_DET_F32) {
        return ((const float *)data)[i];
    }
    int32_t q = type == MN_DET_S8 ? ((const int8_t *)data)[i] : ((const uint8_t *)data)[i];
    return (float)(q - zp) * scale;
}

#endif // MN_DETECTION_COMMON_H
