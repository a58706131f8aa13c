// TFLite_Detection_PostProcess (see micronn.h), following TFLite Micro's kernel step by step.
// Float math is kept exactly as in TFLM: no fused multiply-add (it would round differently).
#include "micronn_config.h"
#if MICRONN_OP_DETECTION

#pragma GCC optimize("fp-contract=off")

#include <stddef.h>

#include "micronn.h"
#include "mn_detection_common.h"

// exp(x) in double, accurate to about 1 ulp: x = k ln2 + r, |r| <= ln2 / 2, exp(r) by its
// Taylor series to r^13 (truncation < 2^-60), then scaled by 2^k. Written out here because
// the QEMU ports have no double-precision libm; every board uses this one, so all agree.
double mn_det_exp(double x) {
    if (x != x) {
        return x;
    }
    if (x > 709.79) {
        return __builtin_inf();
    }
    if (x < -745.0) {
        return 0.0;
    }
    const double ln2_hi = 6.93147180369123816490e-01; // 32 significant bits: k * ln2_hi exact
    const double ln2_lo = 1.90821492927058770002e-10;
    const double inv_ln2 = 1.44269504088896338700e+00;
    double t = x * inv_ln2;
    int32_t k = (int32_t)(t >= 0 ? t + 0.5 : t - 0.5);
    double r = (x - (double)k * ln2_hi) - (double)k * ln2_lo;
    // e = exp(r) - 1 = r + r^2 (1/2! + r (1/3! + ...))
    double p = 1.0 / 6227020800.0; // 1/13!
    p = 1.0 / 479001600.0 + r * p;
    p = 1.0 / 39916800.0 + r * p;
    p = 1.0 / 3628800.0 + r * p;
    p = 1.0 / 362880.0 + r * p;
    p = 1.0 / 40320.0 + r * p;
    p = 1.0 / 5040.0 + r * p;
    p = 1.0 / 720.0 + r * p;
    p = 1.0 / 120.0 + r * p;
    p = 1.0 / 24.0 + r * p;
    p = 1.0 / 6.0 + r * p;
    p = 0.5 + r * p;
    double e = r + (r * r) * p;
    double y = 1.0 + e;
    // y * 2^k, in two steps so that 2^k stays a normal double
    int32_t k1 = k / 2, k2 = k - k / 2;
    uint64_t b1 = (uint64_t)(k1 + 1023) << 52, b2 = (uint64_t)(k2 + 1023) << 52;
    double s1, s2;
    __builtin_memcpy(&s1, &b1, 8);
    __builtin_memcpy(&s2, &b2, 8);
    return (y * s1) * s2;
}

// Decode every box; returns MN_DET_ERR_BOX if one is empty or inverted.
static int mn_det_decode(const void *enc, const float *anchors, const int32_t *p, mn_det_box_t *boxes) {
    const int32_t n = p[MN_DET_NUM_BOXES], stride = p[MN_DET_BOX_STRIDE], type = p[MN_DET_BOX_TYPE];
    const int32_t zp = p[MN_DET_BOX_ZP];
    const float scale = mn_det_f32(p[MN_DET_BOX_SCALE]);
    const double sy = mn_det_f32(p[MN_DET_Y_SCALE]), sx = mn_det_f32(p[MN_DET_X_SCALE]);
    const double sh = mn_det_f32(p[MN_DET_H_SCALE]), sw = mn_det_f32(p[MN_DET_W_SCALE]);
    int err = 0;
    // enc [N, stride] (y, x, h, w first), anchors [N, 4] (y, x, h, w) -> boxes [N]
    for (int32_t i = 0; i < n; i++) {
        double y = mn_det_value(enc, type, i * stride + 0, zp, scale);
        double x = mn_det_value(enc, type, i * stride + 1, zp, scale);
        double h = mn_det_value(enc, type, i * stride + 2, zp, scale);
        double w = mn_det_value(enc, type, i * stride + 3, zp, scale);
        const float *a = anchors + 4 * i;
        float yc = (float)(y / sy * (double)a[2] + (double)a[0]);
        float xc = (float)(x / sx * (double)a[3] + (double)a[1]);
        float hh = (float)(0.5 * mn_det_exp(h / sh) * (double)a[2]);
        float hw = (float)(0.5 * mn_det_exp(w / sw) * (double)a[3]);
        mn_det_box_t *b = &boxes[i];
        b->ymin = yc - hh;
        b->xmin = xc - hw;
        b->ymax = yc + hh;
        b->xmax = xc + hw;
        if (b->ymin >= b->ymax || b->xmin >= b->xmax) {
            err = MN_DET_ERR_BOX;
        }
    }
    return err;
}

float mn_det_iou(const mn_det_box_t *a, const mn_det_box_t *b) {
    const float area_a = (a->ymax - a->ymin) * (a->xmax - a->xmin);
    const float area_b = (b->ymax - b->ymin) * (b->xmax - b->xmin);
    if (area_a <= 0 || area_b <= 0) {
        return 0.0f;
    }
    const float ymin = a->ymin < b->ymin ? b->ymin : a->ymin; // std::max(a, b)
    const float xmin = a->xmin < b->xmin ? b->xmin : a->xmin;
    const float ymax = b->ymax < a->ymax ? b->ymax : a->ymax; // std::min(a, b)
    const float xmax = b->xmax < a->xmax ? b->xmax : a->xmax;
    const float dy = ymax - ymin, dx = xmax - xmin;
    const float inter = (dy < 0.0f ? 0.0f : dy) * (dx < 0.0f ? 0.0f : dx);
    return inter / (area_a + area_b - inter);
}

// Stable sort of idx[0..n) by keys[idx[i]] descending (bottom-up merge sort, tmp [n]).
void mn_det_sort_desc(int32_t *idx, int32_t *tmp, int32_t n, const int32_t *keys) {
    int32_t *src = idx, *dst = tmp;
    for (int32_t width = 1; width < n; width *= 2) {
        for (int32_t lo = 0; lo < n; lo += 2 * width) {
            int32_t mid = lo + width < n ? lo + width : n;
            int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            int32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                // take from the right run only when strictly greater: equal keys keep their order
                dst[k++] = keys[src[j]] > keys[src[i]] ? src[j++] : src[i++];
            }
            while (i < mid) {
                dst[k++] = src[i++];
            }
            while (j < hi) {
                dst[k++] = src[j++];
            }
        }
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx) {
        __builtin_memcpy(idx, src, (size_t)n * sizeof(int32_t));
    }
}

// NonMaxSuppressionSingleClassHelper: candidates with key >= thr, sorted, greedy IoU pruning.
// keep, tmp: [n]; selected: [min(n, max_out)]. Returns the number selected.
static int32_t mn_det_nms_single(const mn_det_box_t *boxes, const int32_t *keys, int32_t n,
    int32_t thr, float iou_thr, int32_t max_out, int32_t *keep, int32_t *tmp, int32_t *selected) {
    int32_t kept = 0;
    for (int32_t i = 0; i < n; i++) {
        if (keys[i] >= thr) {
            keep[kept++] = i;
        }
    }
    mn_det_sort_desc(keep, tmp, kept, keys);
    int32_t out_size = kept < max_out ? kept : max_out;
    int32_t count = 0, active = kept;
    for (int32_t i = 0; i < kept; i++) {
        if (active == 0 || count >= out_size) {
            break;
        }
        if (keep[i] < 0) {
            continue;
        }
        selected[count++] = keep[i];
        active--;
        for (int32_t j = i + 1; j < kept; j++) {
            if (keep[j] >= 0 && mn_det_iou(&boxes[keep[i]], &boxes[keep[j]]) > iou_thr) {
                keep[j] = -1; // suppressed
                active--;
            }
        }
    }
    return count;
}

// Scratch layout (int32 units): boxes [4N], keys [N], keep [N], tmp [N], selected [S],
// regular NMS lists: idx [L], key [L], order [L], tmp [L], key2 [L].
typedef struct {
    mn_det_box_t *boxes;
    int32_t *keys, *keep, *tmp, *selected, *l_idx, *l_key, *l_order, *l_tmp, *l_key2;
} mn_det_scratch_t;

static int32_t mn_det_layout(const int32_t *p, void *scratch, mn_det_scratch_t *s) {
    const int32_t n = p[MN_DET_NUM_BOXES], max_det = p[MN_DET_MAX_DETECTIONS];
    const int32_t dpc = p[MN_DET_DETECTIONS_PER_CLASS];
    int32_t sel = max_det > dpc ? max_det : dpc;
    sel = sel < n ? sel : n;
    const int32_t l = max_det + (dpc < n ? dpc : n);
    int32_t *w = scratch;
    if (s != NULL) {
        s->boxes = (mn_det_box_t *)w;
        s->keys = w + 4 * n;
        s->keep = s->keys + n;
        s->tmp = s->keep + n;
        s->selected = s->tmp + n;
        s->l_idx = s->selected + sel;
        s->l_key = s->l_idx + l;
        s->l_order = s->l_key + l;
        s->l_tmp = s->l_order + l;
        s->l_key2 = s->l_tmp + l;
    }
    return 4 * (7 * n + sel + 5 * l);
}

int32_t mn_detection_postprocess_scratch_size(const int32_t *params) {
    return mn_det_layout(params, NULL, NULL);
}

static void mn_det_write(const int32_t *p, float *ob, float *oc, float *os, int32_t row,
    const mn_det_box_t *box, int32_t cls, float score) {
    (void)p;
    ob[4 * row + 0] = box->ymin;
    ob[4 * row + 1] = box->xmin;
    ob[4 * row + 2] = box->ymax;
    ob[4 * row + 3] = box->xmax;
    oc[row] = (float)cls;
    os[row] = score;
}

// The score settings every NMS path reads, from the params.
typedef struct {
    int32_t n, c, off, ncb, stype, szp, thr, max_det;
    float sscale, iou_thr;
} mn_det_cfg_t;

// Fast NMS: each anchor's best class score, one NMS over anchors, then each kept anchor's
// max_classes_per_detection best classes. Returns the output rows written.
static int32_t mn_det_fast(const void *scores, const int32_t *p, const mn_det_cfg_t *g,
    mn_det_scratch_t *s, float *out_boxes, float *out_classes, float *out_scores) {
    const int32_t mcpd = p[MN_DET_MAX_CLASSES_PER_DETECTION];
    const int32_t ncat = mcpd < g->c ? mcpd : g->c;
    for (int32_t i = 0; i < g->n; i++) { // scores [N, ncb] -> keys [N]
        int32_t best = mn_det_key(scores, g->stype, i * g->ncb + g->off);
        for (int32_t k = 1; k < g->c; k++) {
            int32_t v = mn_det_key(scores, g->stype, i * g->ncb + g->off + k);
            best = v > best ? v : best;
        }
        s->keys[i] = best;
    }
    int32_t count = mn_det_nms_single(s->boxes, s->keys, g->n, g->thr, g->iou_thr, g->max_det, s->keep, s->tmp,
        s->selected);
    for (int32_t i = 0; i < count; i++) {
        const int32_t a = s->selected[i], base = a * g->ncb + g->off;
        // its ncat best classes in (score desc, class asc) order, by repeated selection
        int32_t prev_key = 0, prev_cls = -1;
        for (int32_t col = 0; col < ncat; col++) {
            int32_t best_cls = -1, best_key = 0;
            for (int32_t k = 0; k < g->c; k++) {
                int32_t v = mn_det_key(scores, g->stype, base + k);
                if (prev_cls >= 0 && (v > prev_key || (v == prev_key && k <= prev_cls))) {
                    continue; // already output
                }
                if (best_cls < 0 || v > best_key) {
                    best_cls = k;
                    best_key = v;
                }
            }
            mn_det_write(p, out_boxes, out_classes, out_scores, i * mcpd + col, &s->boxes[a], best_cls,
                mn_det_value(scores, g->stype, base + best_cls, g->szp, g->sscale));
            prev_key = best_key;
            prev_cls = best_cls;
        }
    }
    return count;
}

// Regular NMS: per class, then the best max_detections over all classes kept so far. Returns
// the output rows written.
static int32_t mn_det_regular(const void *scores, const int32_t *p, const mn_det_cfg_t *g,
    mn_det_scratch_t *s, float *out_boxes, float *out_classes, float *out_scores) {
    const int32_t dpc = p[MN_DET_DETECTIONS_PER_CLASS];
    int32_t listed = 0;
    for (int32_t k = 0; k < g->c; k++) {
        for (int32_t i = 0; i < g->n; i++) {
            s->keys[i] = mn_det_key(scores, g->stype, i * g->ncb + g->off + k);
        }
        int32_t count = mn_det_nms_single(s->boxes, s->keys, g->n, g->thr, g->iou_thr, dpc, s->keep, s->tmp,
            s->selected);
        for (int32_t i = 0; i < count; i++) {
            s->l_idx[listed + i] = s->selected[i] * g->ncb + g->off + k;
            s->l_key[listed + i] = s->keys[s->selected[i]];
        }
        int32_t total = listed + count;
        int32_t top = total < g->max_det ? total : g->max_det;
        for (int32_t i = 0; i < total; i++) {
            s->l_order[i] = i;
        }
        mn_det_sort_desc(s->l_order, s->l_tmp, total, s->l_key); // ties: earlier entry first
        for (int32_t i = 0; i < top; i++) { // gather the top entries
            s->l_tmp[i] = s->l_idx[s->l_order[i]];
            s->l_key2[i] = s->l_key[s->l_order[i]];
        }
        __builtin_memcpy(s->l_idx, s->l_tmp, (size_t)top * sizeof(int32_t));
        __builtin_memcpy(s->l_key, s->l_key2, (size_t)top * sizeof(int32_t));
        listed = top;
    }
    for (int32_t r = 0; r < listed; r++) {
        const int32_t a = s->l_idx[r] / g->ncb;
        const int32_t cls = s->l_idx[r] - a * g->ncb - g->off;
        mn_det_write(p, out_boxes, out_classes, out_scores, r, &s->boxes[a], cls,
            mn_det_value(scores, g->stype, s->l_idx[r], g->szp, g->sscale));
    }
    return listed;
}

int mn_detection_postprocess(const void *box_encodings, const void *class_predictions,
    const float *anchors, const int32_t *p, void *scratch, float *out_boxes,
    float *out_classes, float *out_scores, float *num_detections) {
    mn_det_scratch_t s;
    mn_det_layout(p, scratch, &s);
    const int32_t max_out = p[MN_DET_MAX_OUT];
    const mn_det_cfg_t g = {
        .n = p[MN_DET_NUM_BOXES],
        .c = p[MN_DET_NUM_CLASSES],
        .off = p[MN_DET_LABEL_OFFSET],
        .ncb = p[MN_DET_NUM_CLASSES] + p[MN_DET_LABEL_OFFSET],
        .stype = p[MN_DET_SCORE_TYPE],
        .szp = p[MN_DET_SCORE_ZP],
        .thr = p[MN_DET_SCORE_THRESHOLD],
        .max_det = p[MN_DET_MAX_DETECTIONS],
        .sscale = mn_det_f32(p[MN_DET_SCORE_SCALE]),
        .iou_thr = mn_det_f32(p[MN_DET_IOU_THRESHOLD]),
    };
    __builtin_memset(out_boxes, 0, (size_t)max_out * 4 * sizeof(float));
    __builtin_memset(out_classes, 0, (size_t)max_out * sizeof(float));
    __builtin_memset(out_scores, 0, (size_t)max_out * sizeof(float));
    num_detections[0] = 0.0f;
    if (mn_det_decode(box_encodings, anchors, p, s.boxes)) {
        return MN_DET_ERR_BOX;
    }
    int32_t rows = p[MN_DET_USE_REGULAR_NMS]
        ? mn_det_regular(class_predictions, p, &g, &s, out_boxes, out_classes, out_scores)
        : mn_det_fast(class_predictions, p, &g, &s, out_boxes, out_classes, out_scores);
    num_detections[0] = (float)rows;
    return 0;
}

#endif // MICRONN_OP_DETECTION
