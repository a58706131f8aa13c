// Bindings of the detection area: TFLite_Detection_PostProcess and the standalone NMS.
#include "micronn_config.h"
#if MICRONN_OP_DETECTION

#include <string.h>

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_detection.h"


static float mn_bits_f32(int32_t bits) {
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

// A float param that must be finite and (strictly) positive.
static void mn_det_check_positive(const int32_t *p, int i, const char *name) {
    float f = mn_bits_f32(p[i]);
    if (!(f > 0.0f && f <= 3.402823466e38f)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[%d] (%s): expected a positive finite float32"),
            i, name);
    }
}

static void mn_det_check_iou(const int32_t *p, int i) {
    float f = mn_bits_f32(p[i]);
    if (!(f > 0.0f && f <= 1.0f)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[%d] (iou_threshold): expected a float32 in (0, 1]"), i);
    }
}

static const void *mn_det_typed_buf(mp_obj_t obj, const char *name, int32_t type, mp_int_t count) {
    return mn_get_buf(obj, name, type == MN_DET_F32 ? MN_F32 : MN_I8, count, false);
}

// detection_scratch_size(params): bytes of scratch detection_postprocess needs
static const int32_t *mn_det_params(mp_obj_t obj) {
    const int32_t *p = mn_get_params(obj, mn_det_spec, MN_DET_NPARAMS);
    mn_det_check_iou(p, MN_DET_IOU_THRESHOLD);
    mn_det_check_positive(p, MN_DET_Y_SCALE, "y_scale");
    mn_det_check_positive(p, MN_DET_X_SCALE, "x_scale");
    mn_det_check_positive(p, MN_DET_H_SCALE, "h_scale");
    mn_det_check_positive(p, MN_DET_W_SCALE, "w_scale");
    if (p[MN_DET_BOX_TYPE] != MN_DET_F32) {
        mn_det_check_positive(p, MN_DET_BOX_SCALE, "box_scale");
    }
    if (p[MN_DET_SCORE_TYPE] != MN_DET_F32) {
        mn_det_check_positive(p, MN_DET_SCORE_SCALE, "score_scale");
    }
    int32_t need = p[MN_DET_MAX_DETECTIONS];
    if (!p[MN_DET_USE_REGULAR_NMS]) {
        need = (int32_t)mn_count("outputs", p[MN_DET_MAX_DETECTIONS], p[MN_DET_MAX_CLASSES_PER_DETECTION], 1, 1);
    }
    if (p[MN_DET_MAX_OUT] < need) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: max_out %d < %d detections to write"),
            (int)p[MN_DET_MAX_OUT], (int)need);
    }
    return p;
}

static mp_obj_t mn_py_detection_scratch_size(mp_obj_t params) {
    return MP_OBJ_NEW_SMALL_INT(mn_detection_postprocess_scratch_size(mn_det_params(params)));
}
MP_DEFINE_CONST_FUN_OBJ_1(mn_py_detection_scratch_size_obj, mn_py_detection_scratch_size);

// detection_postprocess(box_encodings, class_predictions, anchors, params, scratch,
//                       detection_boxes, detection_classes, detection_scores, num_detections)
static mp_obj_t mn_py_detection_postprocess(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_det_params(args[3]);
    const int32_t n = p[MN_DET_NUM_BOXES], max_out = p[MN_DET_MAX_OUT];
    mp_int_t n_enc = mn_count("box_encodings", n, p[MN_DET_BOX_STRIDE], 1, 1);
    mp_int_t n_cls = mn_count("class_predictions", n, p[MN_DET_NUM_CLASSES] + p[MN_DET_LABEL_OFFSET], 1, 1);
    const void *enc = mn_det_typed_buf(args[0], "box_encodings", p[MN_DET_BOX_TYPE], n_enc);
    const void *cls = mn_det_typed_buf(args[1], "class_predictions", p[MN_DET_SCORE_TYPE], n_cls);
    const float *anchors = mn_get_buf(args[2], "anchors", MN_F32, 4 * (mp_int_t)n, false);
    int32_t need = mn_detection_postprocess_scratch_size(p);
    mp_buffer_info_t sb;
    if (!mp_get_buffer(args[4], &sb, MP_BUFFER_RW) || sb.len < (size_t)need || ((uintptr_t)sb.buf & 3)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("scratch: expected a writable 4-byte aligned buffer of %d bytes"),
            (int)need);
    }
    float *boxes = mn_get_buf(args[5], "detection_boxes", MN_F32, 4 * (mp_int_t)max_out, true);
    float *classes = mn_get_buf(args[6], "detection_classes", MN_F32, max_out, true);
    float *scores = mn_get_buf(args[7], "detection_scores", MN_F32, max_out, true);
    float *num = mn_get_buf(args[8], "num_detections", MN_F32, 1, true);
    if (mn_detection_postprocess(enc, cls, anchors, p, sb.buf, boxes, classes, scores, num) != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("detection_postprocess: a decoded box has ymin >= ymax or xmin >= xmax"));
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_detection_postprocess_obj, 9, 9, mn_py_detection_postprocess);

// nms_boxes(boxes, scores, params, scratch, indices, out) -> number of detections
static mp_obj_t mn_py_nms(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[2], mn_nms_spec, MN_NMS_NPARAMS);
    mn_det_check_iou(p, MN_NMS_IOU_THRESHOLD);
    if (p[MN_NMS_BOX_TYPE] != MN_DET_F32) {
        mn_det_check_positive(p, MN_NMS_BOX_SCALE, "box_scale");
    }
    if (p[MN_NMS_SCORE_TYPE] != MN_DET_F32) {
        mn_det_check_positive(p, MN_NMS_SCORE_SCALE, "score_scale");
    }
    const int32_t n = p[MN_NMS_NUM_BOXES], max_det = p[MN_NMS_MAX_DETECTIONS];
    const void *boxes = mn_det_typed_buf(args[0], "boxes", p[MN_NMS_BOX_TYPE], 4 * (mp_int_t)n);
    const void *scores = mn_det_typed_buf(args[1], "scores", p[MN_NMS_SCORE_TYPE],
        mn_count("scores", n, p[MN_NMS_NUM_CLASSES], 1, 1));
    mp_buffer_info_t sb;
    if (!mp_get_buffer(args[3], &sb, MP_BUFFER_RW) || sb.len < 16 * (size_t)n || ((uintptr_t)sb.buf & 3)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("scratch: expected a writable 4-byte aligned buffer of %d bytes"),
            (int)(16 * n));
    }
    int32_t *indices = mn_get_buf(args[4], "indices", MN_I32, max_det, true);
    float *out = mn_get_buf(args[5], "out", MN_F32, 6 * (mp_int_t)max_det, true);
    return MP_OBJ_NEW_SMALL_INT(mn_nms(boxes, scores, p, sb.buf, indices, out));
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_nms_obj, 6, 6, mn_py_nms);

#endif // MICRONN_OP_DETECTION
