// Bindings of the MATH area written by hand (bind_math.c): declarations and globals-table entries.
// (The area's other bindings are generated: bind_spec_math.c.)
#ifndef MN_BIND_MATH_H
#define MN_BIND_MATH_H

#include <stdint.h>

// FLOOR_DIV float32 (kernels/mn_floor_div_f32.c; a kernel without py/*, declared here): 0 when input2 (n2 elements) holds a 0.
int mn_floor_div_f32(const float *input1, const float *input2, float *output, int32_t n2, const int32_t *params);
// ADD_N (kernels/mn_add_n.c): inputs[0 .. params[MN_ADDN_N]), each of params[MN_ADDN_COUNT] elements.
#define MN_ADDN_MAX_INPUTS 32
void mn_add_n_f32(const int32_t *params, float *output, const float *const *inputs);
void mn_add_n_s8(const int32_t *params, int8_t *output, const int8_t *const *inputs);

#include "py/obj.h"
extern const mp_obj_fun_builtin_var_t mn_py_floor_div_f32_obj;
extern const mp_obj_fun_builtin_var_t mn_py_add_n_f32_obj;
extern const mp_obj_fun_builtin_var_t mn_py_add_n_s8_obj;

#define MN_BIND_MATH_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_floor_div_f32), MP_ROM_PTR(&mn_py_floor_div_f32_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_add_n_f32), MP_ROM_PTR(&mn_py_add_n_f32_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_add_n_s8), MP_ROM_PTR(&mn_py_add_n_s8_obj) },

#endif // MN_BIND_MATH_H
