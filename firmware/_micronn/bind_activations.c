// Bindings of the activations area: table-lookup activations and PRELU.
#include "micronn_config.h"
#if MICRONN_OP_ACTIVATIONS

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_activations.h"

// lut_s8(input, output, table): output[i] = table[uint8(input[i])]
static mp_obj_t mn_py_lut_s8(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t table_obj) {
    mp_int_t n = mn_buf_count(in_obj, "input", MN_I8);
    const int8_t *input = mn_get_buf(in_obj, "input", MN_I8, n, false);
    int8_t *output = mn_get_buf(out_obj, "output", MN_I8, n, true);
    const int8_t *table = mn_get_buf(table_obj, "table", MN_I8, 256, false);
    mn_lut_s8(input, output, (int32_t)n, table);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_lut_s8_obj, mn_py_lut_s8);

// prelu_s8(input, alpha, output, params)
#define MN_PRELU_DIM_MAX (1 << 24)
static const mn_param_spec_t mn_prelu_spec[MN_PRELU_NPARAMS] = {
    [MN_PRELU_D0] = { "d0", 1, MN_PRELU_DIM_MAX },
    [MN_PRELU_D1] = { "d1", 1, MN_PRELU_DIM_MAX },
    [MN_PRELU_D2] = { "d2", 1, MN_PRELU_DIM_MAX },
    [MN_PRELU_D3] = { "d3", 1, MN_PRELU_DIM_MAX },
    [MN_PRELU_IN_S0] = { "in_s0", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_IN_S1] = { "in_s1", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_IN_S2] = { "in_s2", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_IN_S3] = { "in_s3", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_ALPHA_S0] = { "alpha_s0", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_ALPHA_S1] = { "alpha_s1", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_ALPHA_S2] = { "alpha_s2", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_ALPHA_S3] = { "alpha_s3", 0, MN_PRELU_DIM_MAX },
    [MN_PRELU_INPUT_OFFSET] = { "input_offset", -127, 128 },
    [MN_PRELU_ALPHA_OFFSET] = { "alpha_offset", -127, 128 },
    [MN_PRELU_OUTPUT_OFFSET] = { "output_offset", -128, 127 },
    [MN_PRELU_MULT_POS] = { "multiplier_pos", 0, INT32_MAX },
    [MN_PRELU_SHIFT_POS] = { "shift_pos", -31, 30 },
    [MN_PRELU_MULT_NEG] = { "multiplier_neg", 0, INT32_MAX },
    [MN_PRELU_SHIFT_NEG] = { "shift_neg", -31, 30 },
};

// Elements a broadcast operand spans: 1 + sum_k (d_k - 1) * s_k.
static mp_int_t mn_prelu_span(const int32_t *p, int strides, const char *name) {
    uint64_t span = 1;
    for (int k = 0; k < 4; k++) {
        span += (uint64_t)(p[MN_PRELU_D0 + k] - 1) * (uint64_t)p[strides + k];
    }
    if (span > MN_COUNT_MAX) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: more than %d elements"), name, MN_COUNT_MAX);
    }
    return (mp_int_t)span;
}

static mp_obj_t mn_py_prelu_s8(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_prelu_spec, MN_PRELU_NPARAMS);
    mp_int_t n_out = mn_count("output", p[MN_PRELU_D0], p[MN_PRELU_D1], p[MN_PRELU_D2], p[MN_PRELU_D3]);
    const int8_t *input = mn_get_buf(args[0], "input", MN_I8, mn_prelu_span(p, MN_PRELU_IN_S0, "input"), false);
    const int8_t *alpha = mn_get_buf(args[1], "alpha", MN_I8, mn_prelu_span(p, MN_PRELU_ALPHA_S0, "alpha"), false);
    int8_t *output = mn_get_buf(args[2], "output", MN_I8, n_out, true);
    mn_prelu_s8(input, alpha, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_prelu_s8_obj, 4, 4, mn_py_prelu_s8);

#endif // MICRONN_OP_ACTIVATIONS
