// Bindings of the SHAPE area's indexing ops written by hand (bind_index.c): globals-table entries.
// (The area's other bindings are generated: bind_spec_shape.c.)
#ifndef MN_BIND_INDEX_H
#define MN_BIND_INDEX_H

#include "py/obj.h"
extern const mp_obj_fun_builtin_fixed_t mn_py_resize_nearest_obj;
extern const mp_obj_fun_builtin_var_t mn_py_gather_obj;
extern const mp_obj_fun_builtin_var_t mn_py_gather_nd_obj;
extern const mp_obj_fun_builtin_var_t mn_py_embedding_lookup_obj;
extern const mp_obj_fun_builtin_var_t mn_py_dynamic_update_slice_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_broadcast_copy_obj;
extern const mp_obj_fun_builtin_var_t mn_py_broadcast_args_obj;

#define MN_BIND_INDEX_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_resize_nearest), MP_ROM_PTR(&mn_py_resize_nearest_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_gather), MP_ROM_PTR(&mn_py_gather_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_gather_nd), MP_ROM_PTR(&mn_py_gather_nd_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_embedding_lookup), MP_ROM_PTR(&mn_py_embedding_lookup_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_dynamic_update_slice), MP_ROM_PTR(&mn_py_dynamic_update_slice_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_broadcast_copy), MP_ROM_PTR(&mn_py_broadcast_copy_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_broadcast_args), MP_ROM_PTR(&mn_py_broadcast_args_obj) },

#endif // MN_BIND_INDEX_H
