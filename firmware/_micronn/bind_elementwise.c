// Bindings of the elementwise area: argument checks (mn_args.h), then the kernels mn_cast.c,
// mn_concatenation.c, mn_strided_slice.c (binary_s32's binding is generated: bind_spec_elementwise.c).
// Argument order and checks match
// host_tools/reference/elementwise.py.
#include "micronn_config.h"
#if MICRONN_OP_ELEMENTWISE

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_elementwise.h"


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
static mn_dtype_t mn_cast_dtype(int32_t d, const char *name) {
    // int8, uint8, int16, int32, float32, uint32, (uint64), bool as bytes (the output range stops at 5)
    static const int8_t map[8] = { MN_I8, MN_I8, MN_I16, MN_I32, MN_F32, MN_U32, -1, MN_I8 };
    if (map[d] < 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: %s %d is not a type CAST supports"),
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
    // The fixed entries from the generated table, n_inputs pinned to the call's input count,
    // then the range of the variadic entry once per input.
    for (int k = 0; k < MN_CONCAT_SIZE0; k++) {
        spec[k] = mn_concat_spec[k];
    }
    spec[MN_CONCAT_N].lo = spec[MN_CONCAT_N].hi = (int32_t)n;
    for (size_t k = 0; k < n; k++) {
        spec[MN_CONCAT_SIZE0 + k] = mn_concat_spec[MN_CONCAT_SIZE0];
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

#endif // MICRONN_OP_ELEMENTWISE
