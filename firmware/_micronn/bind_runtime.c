// Runtime helpers for the graph runner (firmware/micronn/model.py): run a plan of kernel
// calls from C, and copy a user buffer into the arena, both without allocating.
#include <string.h>

#include "py/obj.h"
#include "py/runtime.h"
#include "py/binary.h"

#include "bind_runtime.h"
#include "mn_port.h"

// run_plan(plan[, ticks]): plan is a list of (function, args tuple); each function is called
// with the tuple's items as positional arguments. With `ticks` (a writable array of 4-byte
// ints, one per op) the ticks each call took are stored there.
static mp_obj_t mn_py_run_plan(size_t n_args, const mp_obj_t *args) {
    size_t n_ops;
    mp_obj_t *ops;
    mp_obj_get_array(args[0], &n_ops, &ops);
    int32_t *ticks = NULL;
    if (n_args > 1 && args[1] != mp_const_none) {
        mp_buffer_info_t bi;
        mp_get_buffer_raise(args[1], &bi, MP_BUFFER_WRITE);
        if (mp_binary_get_size('@', bi.typecode, NULL) != 4 || bi.len != n_ops * 4) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("ticks: expected array of %d 4-byte ints"),
                (int)n_ops);
        }
        ticks = bi.buf;
    }
    for (size_t i = 0; i < n_ops; i++) {
        size_t n;
        mp_obj_t *pair;
        mp_obj_get_array(ops[i], &n, &pair);
        if (n != 2) {
            mp_raise_ValueError(MP_ERROR_TEXT("plan: expected (function, args) pairs"));
        }
        size_t n_call;
        mp_obj_t *call_args;
        mp_obj_get_array(pair[1], &n_call, &call_args);
        uint64_t t0 = ticks ? mn_port_ticks() : 0;
        mp_call_function_n_kw(pair[0], n_call, 0, call_args);
        if (ticks) {
            ticks[i] = (int32_t)(mn_port_ticks() - t0);
        }
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_run_plan_obj, 1, 2, mn_py_run_plan);

// copy_in(dst, src, itemsize, index): copy between a user buffer and an arena view without
// allocating. index >= 0: src is the user's buffer for input <index>; index < 0: dst is the
// user's buffer for output <-1 - index>. ValueError naming the input/output when the user
// buffer's item size or length differs.
static mp_obj_t mn_py_copy_in(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    mp_int_t item = mp_obj_get_int(args[2]);
    mp_int_t index = mp_obj_get_int(args[3]);
    bool is_out = index < 0;
    const char *what = is_out ? "output" : "input";
    int which = (int)(is_out ? -1 - index : index);
    mp_obj_t user = is_out ? args[0] : args[1];
    mp_buffer_info_t dst, src, ub;
    if (!mp_get_buffer(user, &ub, is_out ? MP_BUFFER_WRITE : MP_BUFFER_READ)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%s %d: expected a %sbuffer, got %s"),
            what, which, is_out ? "writable " : "", mp_obj_get_type_str(user));
    }
    size_t user_item = ub.typecode == BYTEARRAY_TYPECODE ? 1 : mp_binary_get_size('@', ub.typecode, NULL);
    if ((mp_int_t)user_item != item) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("%s %d: expected %d-byte items, got %d-byte items (typecode '%c')"),
            what, which, (int)item, (int)user_item, ub.typecode < 32 ? 'B' : ub.typecode);
    }
    mp_get_buffer_raise(args[0], &dst, MP_BUFFER_WRITE);
    mp_get_buffer_raise(args[1], &src, MP_BUFFER_READ);
    if (src.len != dst.len) {
        size_t want = is_out ? src.len : dst.len;
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s %d: expected %d elements, got %d"),
            what, which, (int)(want / item), (int)(ub.len / item));
    }
    memcpy(dst.buf, src.buf, dst.len);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_copy_in_obj, 4, 4, mn_py_copy_in);
