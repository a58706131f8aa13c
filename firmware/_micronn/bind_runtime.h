// Bindings of the runtime helpers (bind_runtime.c).
#ifndef MN_BIND_RUNTIME_H
#define MN_BIND_RUNTIME_H

#include "py/obj.h"

extern const mp_obj_fun_builtin_var_t mn_py_run_plan_obj;
extern const mp_obj_fun_builtin_var_t mn_py_copy_in_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_run_io_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_runner_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_copy_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_typecode_obj;
extern const mp_obj_fun_builtin_var_t mn_py_copy_rect_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_run_if_obj;
extern const mp_obj_fun_builtin_var_t mn_py_run_while_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_run_once_obj;

#define MN_BIND_RUNTIME_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_run_plan), MP_ROM_PTR(&mn_py_run_plan_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_copy_in), MP_ROM_PTR(&mn_py_copy_in_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_run_io), MP_ROM_PTR(&mn_py_run_io_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_runner), MP_ROM_PTR(&mn_py_runner_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_copy), MP_ROM_PTR(&mn_py_copy_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_typecode), MP_ROM_PTR(&mn_py_typecode_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_copy_rect), MP_ROM_PTR(&mn_py_copy_rect_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_run_if), MP_ROM_PTR(&mn_py_run_if_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_run_while), MP_ROM_PTR(&mn_py_run_while_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_run_once), MP_ROM_PTR(&mn_py_run_once_obj) },

#endif // MN_BIND_RUNTIME_H
