// Hand-written bindings of the SHAPE area's indexing kernels (mn_index.h): any element size (the
// buffers checked as elements of params element_size bytes), and runtime indices: a bad index
// raises ValueError naming the op, the argument, the position and the value. Argument order and
// checks match host_tools/reference/index.py.
#include "micronn_config.h"
#if MICRONN_OP_SHAPE

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "mn_index.h"
#include "bind_index.h"

// Element size in bytes (params[at]) -> the buffer type checked for it.
static mn_dtype_t mn_index_elem(const int32_t *p, int at) {
    switch (p[at]) {
        case 1: return MN_I8;
        case 2: return MN_I16;
        case 4: return MN_U32;
        case 8: return MN_U64;
        default:
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[%d] (element_size): %d is not 1, 2, 4 or 8"),
                at, (int)p[at]);
    }
}

// resize_nearest(input, output, params)
static mp_obj_t mn_py_resize_nearest(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_resize_spec, MN_RESIZE_NN_NPARAMS);
    mn_dtype_t dt = mn_index_elem(p, MN_RESIZE_ELEM);
    mp_int_t n_out = mn_count("output", p[MN_RESIZE_N], p[MN_RESIZE_OUT_H], p[MN_RESIZE_OUT_W], p[MN_RESIZE_C]);
    mp_int_t n_in = mn_count("input", p[MN_RESIZE_N], p[MN_RESIZE_IN_H], p[MN_RESIZE_IN_W], p[MN_RESIZE_C]);
    const void *input = mn_get_buf(in_obj, "input", dt, n_in, false);
    void *output = mn_get_buf(out_obj, "output", dt, n_out, true);
    mn_resize_nearest(input, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_resize_nearest_obj, mn_py_resize_nearest);

// gather(input, indices, output, params)
static mp_obj_t mn_py_gather(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_gather_spec, MN_GATHER_NPARAMS);
    mn_dtype_t dt = mn_index_elem(p, MN_GATHER_ELEM);
    const int32_t batch = p[MN_GATHER_BATCH], outer = p[MN_GATHER_OUTER], inner = p[MN_GATHER_INNER];
    mp_int_t n_out = mn_count("output", batch, outer, p[MN_GATHER_COORDS], inner);
    const void *input = mn_get_buf(args[0], "input", dt, mn_count("input", batch, outer, p[MN_GATHER_AXIS], inner), false);
    const int32_t *indices = mn_get_buf(args[1], "indices", MN_I32, mn_count("indices", batch, p[MN_GATHER_COORDS], 1, 1), false);
    void *output = mn_get_buf(args[2], "output", dt, n_out, true);
    int32_t bad = mn_gather(input, indices, output, p);
    if (bad >= 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("indices[%d]: %d is out of range [0, %d) (GATHER)"),
            (int)bad, (int)indices[bad], (int)p[MN_GATHER_AXIS]);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_gather_obj, 4, 4, mn_py_gather);

// gather_nd(input, indices, output, params)
static mp_obj_t mn_py_gather_nd(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_gather_nd_spec, MN_GATHER_ND_NPARAMS);
    mn_dtype_t dt = mn_index_elem(p, MN_GATHER_ND_ELEM);
    const int32_t slices = p[MN_GATHER_ND_SLICES];
    mp_int_t n_out = mn_count("output", slices, p[MN_GATHER_ND_SLICE], 1, 1);
    const void *input = mn_get_buf(args[0], "input", dt, p[MN_GATHER_ND_PARAMS_COUNT], false);
    const int32_t *indices = mn_get_buf(args[1], "indices", MN_I32, mn_count("indices", slices, p[MN_GATHER_ND_ND], 1, 1), false);
    void *output = mn_get_buf(args[2], "output", dt, n_out, true);
    int32_t bad = mn_gather_nd(input, indices, output, p);
    if (bad >= 0) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("indices[%d]: the slice it selects is outside the input of %d elements (GATHER_ND index out of bounds)"),
            (int)bad, (int)p[MN_GATHER_ND_PARAMS_COUNT]);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_gather_nd_obj, 4, 4, mn_py_gather_nd);

// embedding_lookup(lookup, value, output, params)
static mp_obj_t mn_py_embedding_lookup(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_embed_spec, MN_EMBED_NPARAMS);
    const bool hybrid = p[MN_EMBED_HYBRID];
    mn_dtype_t dt = hybrid ? MN_I8 : mn_index_elem(p, MN_EMBED_ELEM);
    const int32_t lookups = p[MN_EMBED_LOOKUPS], rows = p[MN_EMBED_ROWS], cols = p[MN_EMBED_COLS];
    mp_int_t n_out = mn_count("output", lookups, cols, 1, 1);
    const int32_t *lookup = mn_get_buf(args[0], "lookup", MN_I32, lookups, false);
    const void *value = mn_get_buf(args[1], "value", dt, mn_count("value", rows, cols, 1, 1), false);
    void *output = mn_get_buf(args[2], "output", hybrid ? MN_F32 : dt, n_out, true);
    int32_t bad = mn_embedding_lookup(lookup, value, output, p);
    if (bad >= 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("lookup[%d]: %d is out of range [0, %d) (EMBEDDING_LOOKUP)"),
            (int)bad, (int)lookup[bad], (int)rows);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_embedding_lookup_obj, 4, 4, mn_py_embedding_lookup);

// dynamic_update_slice(operand, update, start_indices, output, params)
static mp_obj_t mn_py_dynamic_update_slice(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[4], mn_dus_spec, MN_DUS_NPARAMS);
    mn_dtype_t dt = mn_index_elem(p, MN_DUS_ELEM);
    const int32_t *d = p + MN_DUS_D0, *u = p + MN_DUS_U0;
    for (int k = 0; k < 6; k++) {
        if (u[k] > d[k]) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: update dim %d (%d) > operand dim (%d)"),
                k, (int)u[k], (int)d[k]);
        }
    }
    if (p[MN_DUS_INDEX_SIZE] != 4 && p[MN_DUS_INDEX_SIZE] != 8) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[1] (index_size): %d is not 4 or 8"),
            (int)p[MN_DUS_INDEX_SIZE]);
    }
    mp_int_t n = mn_count("output", d[0], d[1], d[2], d[3]);
    n = mn_count("output", (int32_t)n, d[4], d[5], 1);
    mp_int_t n_upd = mn_count("update", u[0], u[1], u[2], u[3]);
    n_upd = mn_count("update", (int32_t)n_upd, u[4], u[5], 1);
    const void *operand = mn_get_buf(args[0], "operand", dt, n, false);
    const void *update = mn_get_buf(args[1], "update", dt, n_upd, false);
    const void *start = mn_get_buf(args[2], "start_indices", p[MN_DUS_INDEX_SIZE] == 8 ? MN_U64 : MN_I32,
        p[MN_DUS_RANK], false);
    void *output = mn_get_buf(args[3], "output", dt, n, true);
    mn_dynamic_update_slice(operand, update, start, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_dynamic_update_slice_obj, 5, 5, mn_py_dynamic_update_slice);

// broadcast_copy(input, output, params)
static mp_obj_t mn_py_broadcast_copy(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_bcopy_spec, MN_BCOPY_NPARAMS);
    mn_dtype_t dt = mn_index_elem(p, MN_BCOPY_ELEM);
    mp_int_t n = mn_count("output", p[MN_BCOPY_D0], p[MN_BCOPY_D0 + 1], p[MN_BCOPY_D0 + 2], p[MN_BCOPY_D0 + 3]);
    n = mn_count("output", (int32_t)n, p[MN_BCOPY_D0 + 4], 1, 1);
    const void *input = mn_get_buf(in_obj, "input", dt, mn_span(p, MN_BCOPY_D0, MN_BCOPY_S0, 5, "input"), false);
    void *output = mn_get_buf(out_obj, "output", dt, n, true);
    mn_broadcast_copy(input, output, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_broadcast_copy_obj, mn_py_broadcast_copy);

// broadcast_args(shape1, shape2, output, params)
static mp_obj_t mn_py_broadcast_args(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_bargs_spec, MN_BARGS_NPARAMS);
    if (p[MN_BARGS_ELEM] != 4 && p[MN_BARGS_ELEM] != 8) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[0] (element_size): %d is not 4 or 8"),
            (int)p[MN_BARGS_ELEM]);
    }
    mn_dtype_t dt = p[MN_BARGS_ELEM] == 8 ? MN_U64 : MN_I32;
    const void *shape1 = mn_get_buf(args[0], "shape1", dt, p[MN_BARGS_N1], false);
    const void *shape2 = mn_get_buf(args[1], "shape2", dt, p[MN_BARGS_N2], false);
    void *output = mn_get_buf(args[2], "output", dt, p[MN_BARGS_N_OUT], true);
    int32_t bad = mn_broadcast_args(shape1, shape2, output, p);
    if (bad >= 0) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("output[%d]: the shapes' dims are neither equal nor 1 (BROADCAST_ARGS)"), (int)bad);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_broadcast_args_obj, 4, 4, mn_py_broadcast_args);

#endif // MICRONN_OP_SHAPE
