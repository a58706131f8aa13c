// Standalone NMS on int8/uint8/float scores without dequantizing them (see micronn.h).
#include "micronn_config.h"
#if MICRONN_OP_DETECTION

#pragma GCC optimize("fp-contract=off")

#include <stddef.h>

#include "micronn.h"
#include "mn_detection_common.h"

// Box i as corners (ymin, xmin, ymax, xmax).
static void mn_nms_box(const void *boxes, const int32_t *p, int32_t i, mn_det_box_t *b) {
    const int32_t type = p[MN_NMS_BOX_TYPE], zp = p[MN_NMS_BOX_ZP];
    const float scale = mn_det_f32(p[MN_NMS_BOX_SCALE]);
    float v[4];
    for (int k = 0; k < 4; k++) {
        v[k] = mn_det_value(boxes, type, 4 * i + k, zp, scale);
    }
    switch (p[MN_NMS_BOX_FORMAT]) {
        case 0: // x1 y1 x2 y2
            b->xmin = v[0];
            b->ymin = v[1];
            b->xmax = v[2];
            b->ymax = v[3];
            break;
        case 1: { // cx cy w h
            const float hw = v[2] * 0.5f, hh = v[3] * 0.5f;
            b->xmin = v[0] - hw;
            b->ymin = v[1] - hh;
            b->xmax = v[0] + hw;
            b->ymax = v[1] + hh;
            break;
        }
        default: // y1 x1 y2 x2
            b->ymin = v[0];
            b->xmin = v[1];
            b->ymax = v[2];
            b->xmax = v[3];
            break;
    }
}

// The score threshold as a key: scores pass when key >= it.
static int32_t mn_nms_threshold_key(const int32_t *p) {
    const int32_t type = p[MN_NMS_SCORE_TYPE];
    const float thr = mn_det_f32(p[MN_NMS_SCORE_THRESHOLD]);
    if (type == MN_DET_F32) {
        return mn_det_key(&thr, MN_DET_F32, 0);
    }
    const int32_t lo = type == MN_DET_S8 ? -128 : 0, zp = p[MN_NMS_SCORE_ZP];
    const float scale = mn_det_f32(p[MN_NMS_SCORE_SCALE]);
    for (int32_t q = lo; q < lo + 256; q++) {
        if ((float)(q - zp) * scale >= thr) {
            return q;
        }
    }
    return lo + 256; // nothing passes
}

int32_t mn_nms(const void *boxes, const void *scores, const int32_t *p, void *scratch,
    int32_t *indices, float *out) {
    const int32_t n = p[MN_NMS_NUM_BOXES], c = p[MN_NMS_NUM_CLASSES];
    const int32_t stype = p[MN_NMS_SCORE_TYPE], max_det = p[MN_NMS_MAX_DETECTIONS];
    const int32_t agnostic = p[MN_NMS_AGNOSTIC];
    const float iou_thr = mn_det_f32(p[MN_NMS_IOU_THRESHOLD]);
    const int32_t thr = mn_nms_threshold_key(p);
    int32_t *keys = scratch, *cls = keys + n, *keep = cls + n, *tmp = keep + n;
    int32_t kept = 0;
    // scores [N, C] -> each box's best (key, class); candidates keep [kept]
    for (int32_t i = 0; i < n; i++) {
        int32_t best = mn_det_key(scores, stype, i * c), best_c = 0;
        for (int32_t k = 1; k < c; k++) {
            int32_t v = mn_det_key(scores, stype, i * c + k);
            if (v > best) {
                best = v;
                best_c = k;
            }
        }
        keys[i] = best;
        cls[i] = best_c;
        if (best >= thr) {
            keep[kept++] = i;
        }
    }
    mn_det_sort_desc(keep, tmp, kept, keys);
    int32_t count = 0;
    for (int32_t i = 0; i < kept && count < max_det; i++) {
        if (keep[i] < 0) {
            continue;
        }
        const int32_t a = keep[i];
        mn_det_box_t ba, bb;
        mn_nms_box(boxes, p, a, &ba);
        indices[count] = a;
        float *o = out + 6 * count;
        o[0] = ba.xmin;
        o[1] = ba.ymin;
        o[2] = ba.xmax;
        o[3] = ba.ymax;
        o[4] = mn_det_value(scores, stype, a * c + cls[a], p[MN_NMS_SCORE_ZP], mn_det_f32(p[MN_NMS_SCORE_SCALE]));
        o[5] = (float)cls[a];
        count++;
        for (int32_t j = i + 1; j < kept; j++) {
            if (keep[j] < 0 || (!agnostic && cls[keep[j]] != cls[a])) {
                continue;
            }
            mn_nms_box(boxes, p, keep[j], &bb);
            if (mn_det_iou(&ba, &bb) > iou_thr) {
                keep[j] = -1;
            }
        }
    }
    return count;
}

#endif // MICRONN_OP_DETECTION
