// Hand-written bindings of the MATH area: floor_div_f32 (the checks of the generated binary_f32
// binding, then TFLite Micro's division-by-0 refusal). Argument order and checks match
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

#endif // MICRONN_OP_MATH
