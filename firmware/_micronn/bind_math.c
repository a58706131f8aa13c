// Hand-written bindings of the MATH area: floor_div_f32 (the checks of the generated binary_f32
// binding, then TFLite Micro's division-by-0 refusal) and the variadic add_n_f32 / add_n_s8.
// Argument order and checks match
// host_tools/reference/math.py.
#include "micronn_config.h"
#if MICRONN_OP_MATH

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_math.h"

// floor_div_f32(input1, input2, output, params)
static mp_obj_t mn_py_floor_div_f32(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_binf_spec, MN_BINF_NPARAMS);
    mp_int_t n_output = mn_count("output", p[MN_BINF_D0], p[MN_BINF_D1], p[MN_BINF_D2], p[MN_BINF_D3]);
    const float *input1 = mn_get_buf(args[0], "input1", MN_F32, mn_span(p, MN_BINF_D0, MN_BINF_IN1_S0, 4, "input1"), false);
    mp_int_t n2 = mn_span(p, MN_BINF_D0, MN_BINF_IN2_S0, 4, "input2");
    const float *input2 = mn_get_buf(args[1], "input2", MN_F32, n2, false);
    float *output = mn_get_buf(args[2], "output", MN_F32, n_output, true);
    if (!mn_floor_div_f32(input1, input2, output, (int32_t)n2, p)) {
        mp_raise_ValueError(MP_ERROR_TEXT("input2: division by 0 (FLOOR_DIV)"));
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_floor_div_f32_obj, 4, 4, mn_py_floor_div_f32);

// add_n_<dtype>(params, output, input0, input1, ...): n_inputs pinned to the call's input count.
static const int32_t *mn_add_n_args(size_t n_args, const mp_obj_t *args, mn_dtype_t dt, void **output,
    const void **inputs) {
    const size_t n = n_args - 2;
    mn_param_spec_t spec[MN_ADDN_NPARAMS];
    for (int k = 0; k < MN_ADDN_NPARAMS; k++) {
        spec[k] = mn_addn_spec[k];
    }
    spec[MN_ADDN_N].lo = spec[MN_ADDN_N].hi = (int32_t)n;
    const int32_t *p = mn_get_params(args[0], spec, MN_ADDN_NPARAMS);
    *output = mn_get_buf(args[1], "output", dt, p[MN_ADDN_COUNT], true);
    for (size_t k = 0; k < n; k++) {
        inputs[k] = mn_get_buf(args[2 + k], "input", dt, p[MN_ADDN_COUNT], false);
    }
    return p;
}

static mp_obj_t mn_py_add_n_f32(size_t n_args, const mp_obj_t *args) {
    const void *inputs[MN_ADDN_MAX_INPUTS];
    void *output;
    const int32_t *p = mn_add_n_args(n_args, args, MN_F32, &output, inputs);
    mn_add_n_f32(p, output, (const float *const *)inputs);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_add_n_f32_obj, 4, 2 + MN_ADDN_MAX_INPUTS, mn_py_add_n_f32);

static mp_obj_t mn_py_add_n_s8(size_t n_args, const mp_obj_t *args) {
    const void *inputs[MN_ADDN_MAX_INPUTS];
    void *output;
    const int32_t *p = mn_add_n_args(n_args, args, MN_I8, &output, inputs);
    mn_add_n_s8(p, output, (const int8_t *const *)inputs);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_add_n_s8_obj, 4, 2 + MN_ADDN_MAX_INPUTS, mn_py_add_n_s8);

#endif // MICRONN_OP_MATH
