// Bindings of the elementwise area: argument checks (mn_args.h), then the kernels mn_cast.c,
// mn_concatenation.c, mn_strided_slice.c, mn_binary_s32.c. Argument order and checks match
// host_tools/reference_elementwise.py.
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_elementwise.h"

#define MN_I32_MAX 2147483647
#define MN_I32_MIN (-MN_I32_MAX - 1)

// Element size in bytes -> the buffer type checked for it.
static mn_dtype_t mn_elem_dtype(int32_t elem) {
    switch (elem) {
        case 1: return MN_I8;
        case 2: return MN_I16;
        case 4: return MN_U32;
        case 8: return MN_U64;
        default:
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[0] (element_size): %d is not 1, 2, 4 or 8"),
                (int)elem);
    }
}

// cast(input, output, params)
static const mn_param_spec_t mn_cast_spec[MN_CAST_NPARAMS] = {
    [MN_CAST_IN_DTYPE] = { "input_dtype", 0, 5 },
    [MN_CAST_OUT_DTYPE] = { "output_dtype", 0, 5 },
};

static mn_dtype_t mn_cast_dtype(int32_t d, const char *name) {
    static const int8_t map[6] = { MN_I8, MN_I8, MN_I16, MN_I32, -1, MN_U32 };
    if (map[d] < 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: %s %d is not an integer type CAST supports"),
            name, (int)d);
    }
    return (mn_dtype_t)map[d];
}

static mp_obj_t mn_py_cast(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_cast_spec, MN_CAST_NPARAMS);
    mn_dtype_t src = mn_cast_dtype(p[MN_CAST_IN_DTYPE], "input_dtype");
    mn_dtype_t dst = mn_cast_dtype(p[MN_CAST_OUT_DTYPE], "output_dtype");
    mp_int_t n = mn_buf_count(in_obj, "input", src);
    const void *input = mn_get_buf(in_obj, "input", src, n, false);
    void *output = mn_get_buf(out_obj, "output", dst, n, true);
    mn_cast(input, output, n, p[MN_CAST_IN_DTYPE], p[MN_CAST_OUT_DTYPE]);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_cast_obj, mn_py_cast);

// concatenation(params, output, input0, input1, ...)
static mp_obj_t mn_py_concatenation(size_t n_args, const mp_obj_t *args) {
    size_t n = n_args - 2;
    if (n > MN_CONCAT_MAX_INPUTS) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("concatenation: at most %d inputs, got %d"),
            MN_CONCAT_MAX_INPUTS, (int)n);
    }
    mn_param_spec_t spec[MN_CONCAT_SIZE0 + MN_CONCAT_MAX_INPUTS];
    spec[MN_CONCAT_ELEM] = (mn_param_spec_t) { "element_size", 1, 8 };
    spec[MN_CONCAT_OUTER] = (mn_param_spec_t) { "outer", 1, MN_COUNT_MAX };
    spec[MN_CONCAT_N] = (mn_param_spec_t) { "n_inputs", (int32_t)n, (int32_t)n };
    for (size_t k = 0; k < n; k++) {
        spec[MN_CONCAT_SIZE0 + k] = (mn_param_spec_t) { "size", 0, MN_COUNT_MAX };
    }
    const int32_t *p = mn_get_params(args[0], spec, MN_CONCAT_SIZE0 + (int)n);
    mn_dtype_t dt = mn_elem_dtype(p[MN_CONCAT_ELEM]);
    uint64_t total = 0;
    for (size_t k = 0; k < n; k++) {
        total += (uint64_t)p[MN_CONCAT_SIZE0 + k];
    }
    mp_int_t n_out = mn_count("output", p[MN_CONCAT_OUTER], total > MN_COUNT_MAX ? MN_COUNT_MAX + 1 : (int32_t)total, 1, 1);
    void *output = mn_get_buf(args[1], "output", dt, n_out, true);
    const void *inputs[MN_CONCAT_MAX_INPUTS];
    for (size_t k = 0; k < n; k++) {
        inputs[k] = mn_get_buf(args[2 + k], "input", dt,
            mn_count("input", p[MN_CONCAT_OUTER], p[MN_CONCAT_SIZE0 + k], 1, 1), false);
    }
    mn_concatenation(inputs, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_concatenation_obj, 3, 2 + MN_CONCAT_MAX_INPUTS, mn_py_concatenation);

// strided_slice(input, output, params)
static const mn_param_spec_t mn_slice_spec[MN_SLICE_NPARAMS] = {
    [MN_SLICE_ELEM] = { "element_size", 1, 8 },
    [MN_SLICE_START] = { "start", 0, MN_COUNT_MAX },
    [MN_SLICE_D0] = { "d0", 1, MN_COUNT_MAX },
    [MN_SLICE_D0 + 1] = { "d1", 1, MN_COUNT_MAX },
    [MN_SLICE_D0 + 2] = { "d2", 1, MN_COUNT_MAX },
    [MN_SLICE_D0 + 3] = { "d3", 1, MN_COUNT_MAX },
    [MN_SLICE_D0 + 4] = { "d4", 1, MN_COUNT_MAX },
    [MN_SLICE_S0] = { "s0", -MN_COUNT_MAX, MN_COUNT_MAX },
    [MN_SLICE_S0 + 1] = { "s1", -MN_COUNT_MAX, MN_COUNT_MAX },
    [MN_SLICE_S0 + 2] = { "s2", -MN_COUNT_MAX, MN_COUNT_MAX },
    [MN_SLICE_S0 + 3] = { "s3", -MN_COUNT_MAX, MN_COUNT_MAX },
    [MN_SLICE_S0 + 4] = { "s4", -MN_COUNT_MAX, MN_COUNT_MAX },
};

static mp_obj_t mn_py_strided_slice(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_slice_spec, MN_SLICE_NPARAMS);
    mn_dtype_t dt = mn_elem_dtype(p[MN_SLICE_ELEM]);
    const int32_t *d = p + MN_SLICE_D0, *s = p + MN_SLICE_S0;
    uint64_t n_out = 1;
    int64_t lo = p[MN_SLICE_START], hi = p[MN_SLICE_START];
    for (int k = 0; k < 5; k++) {
        n_out *= (uint64_t)d[k];
        if (n_out > MN_COUNT_MAX) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("output: more than %d elements"), MN_COUNT_MAX);
        }
        int64_t step = (int64_t)(d[k] - 1) * s[k];
        if (step < 0) {
            lo += step;
        } else {
            hi += step;
        }
    }
    mp_int_t n_in = mn_buf_count(in_obj, "input", dt);
    if (lo < 0 || hi >= n_in) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: the slice reads elements %d..%d of an input of %d"),
            (int)lo, (int)hi, (int)n_in);
    }
    const void *input = mn_get_buf(in_obj, "input", dt, n_in, false);
    void *output = mn_get_buf(out_obj, "output", dt, (mp_int_t)n_out, true);
    mn_strided_slice(input, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_strided_slice_obj, mn_py_strided_slice);

// binary_s32(input1, input2, output, params)
#define MN_BIN_DIM_MAX (1 << 24)
static const mn_param_spec_t mn_bin_spec[MN_BIN_NPARAMS] = {
    [MN_BIN_OP] = { "op", 0, 5 },
    [MN_BIN_D0] = { "d0", 1, MN_BIN_DIM_MAX },
    [MN_BIN_D0 + 1] = { "d1", 1, MN_BIN_DIM_MAX },
    [MN_BIN_D0 + 2] = { "d2", 1, MN_BIN_DIM_MAX },
    [MN_BIN_D0 + 3] = { "d3", 1, MN_BIN_DIM_MAX },
    [MN_BIN_IN1_S0] = { "in1_s0", 0, MN_BIN_DIM_MAX },
    [MN_BIN_IN1_S0 + 1] = { "in1_s1", 0, MN_BIN_DIM_MAX },
    [MN_BIN_IN1_S0 + 2] = { "in1_s2", 0, MN_BIN_DIM_MAX },
    [MN_BIN_IN1_S0 + 3] = { "in1_s3", 0, MN_BIN_DIM_MAX },
    [MN_BIN_IN2_S0] = { "in2_s0", 0, MN_BIN_DIM_MAX },
    [MN_BIN_IN2_S0 + 1] = { "in2_s1", 0, MN_BIN_DIM_MAX },
    [MN_BIN_IN2_S0 + 2] = { "in2_s2", 0, MN_BIN_DIM_MAX },
    [MN_BIN_IN2_S0 + 3] = { "in2_s3", 0, MN_BIN_DIM_MAX },
    [MN_BIN_ACT_MIN] = { "act_min", MN_I32_MIN, MN_I32_MAX },
    [MN_BIN_ACT_MAX] = { "act_max", MN_I32_MIN, MN_I32_MAX },
};

static mp_int_t mn_bin_span(const int32_t *p, int strides, const char *name) {
    uint64_t span = 1;
    for (int k = 0; k < 4; k++) {
        span += (uint64_t)(p[MN_BIN_D0 + k] - 1) * (uint64_t)p[strides + k];
    }
    if (span > MN_COUNT_MAX) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: more than %d elements"), name, MN_COUNT_MAX);
    }
    return (mp_int_t)span;
}

static mp_obj_t mn_py_binary_s32(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_bin_spec, MN_BIN_NPARAMS);
    mn_check_act(p, MN_BIN_ACT_MIN);
    mp_int_t n_out = mn_count("output", p[MN_BIN_D0], p[MN_BIN_D0 + 1], p[MN_BIN_D0 + 2], p[MN_BIN_D0 + 3]);
    const int32_t *a = mn_get_buf(args[0], "input1", MN_I32, mn_bin_span(p, MN_BIN_IN1_S0, "input1"), false);
    const int32_t *b = mn_get_buf(args[1], "input2", MN_I32, mn_bin_span(p, MN_BIN_IN2_S0, "input2"), false);
    int32_t *output = mn_get_buf(args[2], "output", MN_I32, n_out, true);
    mn_binary_s32(a, b, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_binary_s32_obj, 4, 4, mn_py_binary_s32);

#endif // MICRONN_OP_ELEMENTWISE
