// Bindings of the activations area (bind_activations.c): declarations and globals-table entries.
#ifndef MN_BIND_ACTIVATIONS_H
#define MN_BIND_ACTIVATIONS_H

#include "py/obj.h"

extern const mp_obj_fun_builtin_fixed_t mn_py_lut_s8_obj;

#define MN_BIND_ACTIVATIONS_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_lut_s8), MP_ROM_PTR(&mn_py_lut_s8_obj) },

#endif // MN_BIND_ACTIVATIONS_H
