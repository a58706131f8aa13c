// Bindings of the detection area (bind_detection.c): declarations and globals-table entries.
#ifndef MN_BIND_DETECTION_H
#define MN_BIND_DETECTION_H

#include "py/obj.h"

extern const mp_obj_fun_builtin_var_t mn_py_detection_postprocess_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_detection_scratch_size_obj;
extern const mp_obj_fun_builtin_var_t mn_py_nms_obj;

#define MN_BIND_DETECTION_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_detection_postprocess), MP_ROM_PTR(&mn_py_detection_postprocess_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_detection_scratch_size), MP_ROM_PTR(&mn_py_detection_scratch_size_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_nms_boxes), MP_ROM_PTR(&mn_py_nms_obj) },

#endif // MN_BIND_DETECTION_H
