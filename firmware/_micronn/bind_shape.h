// Bindings of the SHAPE area written by hand (bind_shape.c): declarations and globals-table entries.
#ifndef MN_BIND_SHAPE_H
#define MN_BIND_SHAPE_H

#include <stdint.h>

// copy_nd (kernels/mn_copy_nd.c; a kernel without py/*, declared here): the COPY params
// (mn_spec.h); the binding checks that every read is inside the input and the mirrored borders.
void mn_copy_nd(const void *input, void *output, const int32_t *params);

#include "py/obj.h"
extern const mp_obj_fun_builtin_fixed_t mn_py_copy_nd_obj;

#define MN_BIND_SHAPE_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_copy_nd), MP_ROM_PTR(&mn_py_copy_nd_obj) },

#endif // MN_BIND_SHAPE_H
