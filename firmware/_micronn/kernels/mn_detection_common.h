// Helpers shared by the detection kernels (mn_detection_postprocess.c, mn_nms.c).
#ifndef MN_DETECTION_COMMON_H
#define MN_DETECTION_COMMON_H

#include <stdint.h>

typedef struct {
    float ymin, xmin, ymax, xmax;
} mn_det_box_t;

// exp(x) in double (about 1 ulp), the same on every board.
double mn_det_exp(double x);
// TFLite's ComputeIntersectionOverUnion in float (0 when either box is empty).
float mn_det_iou(const mn_det_box_t *a, const mn_det_box_t *b);
// Stable sort of idx[0..n) by keys[idx[i]] descending; tmp [n].
void mn_det_sort_desc(int32_t *idx, int32_t *tmp, int32_t n, const int32_t *keys);

#endif // MN_DETECTION_COMMON_H
