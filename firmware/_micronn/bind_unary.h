// Bindings of the MATH area's unary ops written by hand (bind_unary.c): declarations and
// globals-table entries. (unary_f32's binding is generated: bind_spec_math.c.)
#ifndef MN_BIND_UNARY_H
#define MN_BIND_UNARY_H

#include <stdint.h>

// int8 ABS/RSQRT by table (kernels/mn_unary_s8.c; a kernel without py/*, declared here): 0 when an
// input is below params.min_input (nothing written).
int mn_unary_s8(const int8_t *input, const int8_t *table, int8_t *output, int32_t count, const int32_t *params);

#include "py/obj.h"
extern const mp_obj_fun_builtin_var_t mn_py_unary_s8_obj;

#define MN_BIND_UNARY_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_unary_s8), MP_ROM_PTR(&mn_py_unary_s8_obj) },

#endif // MN_BIND_UNARY_H
