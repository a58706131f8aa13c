// Hand-written bindings of the SHAPE area: copy_nd (kernels/mn_copy_nd.c), whose input is read
// through signed steps from a start: the binding proves every read inside the input and every
// mirrored border inside the region. Argument order and checks match host_tools/reference/shape.py.
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_shape.h"

#define MN_COPY_DIMS (MN_COPY_S0 - MN_COPY_D0)

// copy_nd(input, output, params)
static mp_obj_t mn_py_copy_nd(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_copy_spec, MN_COPY_NPARAMS);
    const int32_t elem = p[MN_COPY_ELEM], mode = p[MN_COPY_MODE];
    mn_dtype_t dt;
    switch (elem) {
        case 1: dt = MN_I8; break;
        case 2: dt = MN_I16; break;
        case 4: dt = MN_U32; break;
        case 8: dt = MN_U64; break;
        default:
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[0] (element_size): %d is not 1, 2, 4 or 8"),
                (int)elem);
    }
    uint64_t n_out = 1;
    int64_t lo = p[MN_COPY_START], hi = p[MN_COPY_START];
    for (int k = 0; k < MN_COPY_DIMS; k++) {
        const int32_t d = p[MN_COPY_D0 + k], b = p[MN_COPY_B0 + k], a = p[MN_COPY_A0 + k];
        if (mode != 0 && (b > d - (mode == 1) || a > d - (mode == 1))) {
            mp_raise_msg_varg(&mp_type_ValueError,
                MP_ERROR_TEXT("params: dim %d: mirrored borders %d, %d of a region of %d (at most %d)"),
                k, (int)b, (int)a, (int)d, (int)(d - (mode == 1)));
        }
        n_out *= (uint64_t)b + (uint64_t)d + (uint64_t)a;
        if (n_out > MN_COUNT_MAX) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("output: more than %d elements"), MN_COUNT_MAX);
        }
        const int64_t step = (int64_t)(d - 1) * p[MN_COPY_S0 + k];
        if (step < 0) {
            lo += step;
        } else {
            hi += step;
        }
    }
    mp_int_t n_in = mn_buf_count(in_obj, "input", dt);
    if (lo < 0 || hi >= n_in || hi >= MN_COUNT_MAX) { // (the kernel's offsets are int32)
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: the copy reads elements %d..%d of an input of %d"),
            (int)lo, (int)hi, (int)n_in);
    }
    const void *input = mn_get_buf(in_obj, "input", dt, n_in, false);
    void *output = mn_get_buf(out_obj, "output", dt, (mp_int_t)n_out, true);
    mn_copy_nd(input, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_copy_nd_obj, mn_py_copy_nd);

#endif // MICRONN_OP_SHAPE
