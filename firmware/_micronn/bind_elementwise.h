// Bindings of the elementwise area (bind_elementwise.c): declarations and globals-table entries.
#ifndef MN_BIND_ELEMENTWISE_H
#define MN_BIND_ELEMENTWISE_H

#include "py/obj.h"

extern const mp_obj_fun_builtin_fixed_t mn_py_cast_obj;
extern const mp_obj_fun_builtin_var_t mn_py_concatenation_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_strided_slice_obj;

#define MN_BIND_ELEMENTWISE_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_cast), MP_ROM_PTR(&mn_py_cast_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_concatenation), MP_ROM_PTR(&mn_py_concatenation_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_strided_slice), MP_ROM_PTR(&mn_py_strided_slice_obj) },

#endif // MN_BIND_ELEMENTWISE_H
