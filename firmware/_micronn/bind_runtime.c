// Runtime helpers for the graph runner (firmware/micronn/model.py): run a plan of kernel
// calls from C, and copy a user buffer into the arena, both without allocating.
#include <string.h>

#include "py/obj.h"
#include "py/runtime.h"
#include "py/binary.h"

#include "bind_runtime.h"
#include "mn_port.h"

// Call every (function, args tuple) pair of `plan`; with ticks, store each call's ticks.
static void mn_run_plan(mp_obj_t plan, int32_t *ticks) {
    size_t n_ops;
    mp_obj_t *ops;
    mp_obj_get_array(plan, &n_ops, &ops);
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
}

// run_plan(plan[, ticks]): plan is a list of (function, args tuple); each function is called
// with the tuple's items as positional arguments. With `ticks` (a writable array of 4-byte
// ints, one per op) the ticks each call took are stored there.
static mp_obj_t mn_py_run_plan(size_t n_args, const mp_obj_t *args) {
    int32_t *ticks = NULL;
    if (n_args > 1 && args[1] != mp_const_none) {
        size_t n_ops;
        mp_obj_t *ops;
        mp_obj_get_array(args[0], &n_ops, &ops);
        mp_buffer_info_t bi;
        mp_get_buffer_raise(args[1], &bi, MP_BUFFER_WRITE);
        if (mp_binary_get_size('@', bi.typecode, NULL) != 4 || bi.len != n_ops * 4) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("ticks: expected array of %d 4-byte ints"),
                (int)n_ops);
        }
        ticks = bi.buf;
    }
    mn_run_plan(args[0], ticks);
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

// The user buffers run_io copies itself: bytes, bytearray, array, memoryview. Other objects
// (ulab/numpy arrays, anything else with a buffer) take Model.run's Python path.
static bool mn_plain_buf(mp_obj_t o, mp_buffer_info_t *bi, mp_uint_t flags) {
    const mp_obj_type_t *t = mp_obj_get_type(o);
    bool plain = t == &mp_type_bytes || t == &mp_type_bytearray
        #if MICROPY_PY_ARRAY
        || t == &mp_type_array
        #endif
        #if MICROPY_PY_BUILTINS_MEMORYVIEW
        || t == &mp_type_memoryview
        #endif
    ;
    return plain && mp_get_buffer(o, bi, flags);
}

// Checks `user` (a list/tuple, or one buffer when there is one view) against the arena views
// and their item sizes; fills buf[] with the user buffers. False on any mismatch.
static bool mn_io_match(mp_obj_t user, size_t n, const mp_obj_t *views, const mp_obj_t *items,
    mp_buffer_info_t *buf, mp_uint_t flags) {
    size_t n_user = 1;
    const mp_obj_t *objs = &user;
    if (mp_obj_is_type(user, &mp_type_list) || mp_obj_is_type(user, &mp_type_tuple)) {
        mp_obj_get_array(user, &n_user, (mp_obj_t **)&objs);
    }
    if (n_user != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        mp_buffer_info_t vb;
        if (!mn_plain_buf(objs[i], &buf[i], flags) || !mp_get_buffer(views[i], &vb, MP_BUFFER_READ)) {
            return false;
        }
        size_t item = buf[i].typecode == BYTEARRAY_TYPECODE ? 1 : mp_binary_get_size('@', buf[i].typecode, NULL);
        if ((mp_int_t)item != mp_obj_get_int(items[i]) || buf[i].len != vb.len) {
            return false;
        }
    }
    return true;
}

#define MN_IO_MAX 16 // inputs / outputs run_io takes (more: the Python path)

// run_io(io, inputs, outputs): Model.run without Python in the loop. io = (run_io, plan,
// input views, input item sizes, output views, output item sizes). inputs/outputs as for
// Model.run (a buffer, or a list/tuple of them; None: keep the arena's inputs / copy no
// outputs). Returns False, having done nothing, unless every given buffer is a bytes,
// bytearray, array or memoryview (outputs writable) of the view's item size and length:
// Model.run then takes its Python path, which raises the errors naming the argument.
// Otherwise copies the inputs in, runs the plan, copies the outputs out, returns True.
static mp_obj_t mn_py_run_io(mp_obj_t io_obj, mp_obj_t inp, mp_obj_t out) {
    size_t n_io;
    mp_obj_t *io;
    mp_obj_get_array(io_obj, &n_io, &io);
    if (n_io != 6) {
        mp_raise_ValueError(MP_ERROR_TEXT("io: expected a 6-tuple"));
    }
    size_t n_in, n_out, n;
    mp_obj_t *in_views, *in_items, *out_views, *out_items;
    mp_obj_get_array(io[2], &n_in, &in_views);
    mp_obj_get_array(io[3], &n, &in_items);
    if (n != n_in) {
        mp_raise_ValueError(MP_ERROR_TEXT("io: input views and item sizes differ in length"));
    }
    mp_obj_get_array(io[4], &n_out, &out_views);
    mp_obj_get_array(io[5], &n, &out_items);
    if (n != n_out) {
        mp_raise_ValueError(MP_ERROR_TEXT("io: output views and item sizes differ in length"));
    }
    if (n_in > MN_IO_MAX || n_out > MN_IO_MAX) {
        return mp_const_false;
    }
    mp_buffer_info_t ub[MN_IO_MAX], ob[MN_IO_MAX];
    if (inp != mp_const_none && !mn_io_match(inp, n_in, in_views, in_items, ub, MP_BUFFER_READ)) {
        return mp_const_false;
    }
    if (out != mp_const_none && !mn_io_match(out, n_out, out_views, out_items, ob, MP_BUFFER_WRITE)) {
        return mp_const_false;
    }
    if (inp != mp_const_none) {
        for (size_t i = 0; i < n_in; i++) {
            mp_buffer_info_t vb;
            mp_get_buffer_raise(in_views[i], &vb, MP_BUFFER_WRITE);
            memmove(vb.buf, ub[i].buf, vb.len);
        }
    }
    mn_run_plan(io[1], NULL);
    if (out != mp_const_none) {
        for (size_t i = 0; i < n_out; i++) {
            mp_buffer_info_t vb;
            mp_get_buffer_raise(out_views[i], &vb, MP_BUFFER_READ);
            memmove(ob[i].buf, vb.buf, vb.len);
        }
    }
    return mp_const_true;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_run_io_obj, mn_py_run_io);

// runner(model, io): a callable r(inp=None, out=None) that a Model installs as its `run` after
// the first run: run_io(io, inp, out) without a Python frame around it. Returns `out`, or
// model._new_outputs() when out is None; when run_io declines (buffer kinds or sizes it does
// not take: it has done nothing then), it calls model._run(inp, out), whose checks raise the
// errors naming the argument.
typedef struct {
    mp_obj_base_t base;
    mp_obj_t model;
    mp_obj_t io;
} mn_runner_t;

static mp_obj_t mn_runner_call(mp_obj_t self_in, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mn_runner_t *self = MP_OBJ_TO_PTR(self_in);
    mp_arg_check_num(n_args, n_kw, 0, 2, true);
    mp_obj_t io[2] = { mp_const_none, mp_const_none };  // inp, out
    for (size_t i = 0; i < n_args; i++) {
        io[i] = args[i];
    }
    for (size_t i = 0; i < n_kw; i++) {
        qstr name = mp_obj_str_get_qstr(args[n_args + 2 * i]);
        size_t k = name == MP_QSTR_inp ? 0 : name == MP_QSTR_out ? 1 : 2;
        if (k == 2 || (k < n_args)) {
            mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("run: unexpected argument %q"), name);
        }
        io[k] = args[n_args + 2 * i + 1];
    }
    mp_obj_t dest[4];
    if (mn_py_run_io(self->io, io[0], io[1]) == mp_const_true) {
        if (io[1] != mp_const_none) {
            return io[1];
        }
        mp_load_method(self->model, MP_QSTR__new_outputs, dest);
        return mp_call_method_n_kw(0, 0, dest);
    }
    mp_load_method(self->model, MP_QSTR__run, dest);
    dest[2] = io[0];
    dest[3] = io[1];
    return mp_call_method_n_kw(2, 0, dest);
}

MP_DEFINE_CONST_OBJ_TYPE(mn_type_runner, MP_QSTR_Runner, MP_TYPE_FLAG_NONE, call, mn_runner_call);

static mp_obj_t mn_py_runner(mp_obj_t model, mp_obj_t io) {
    size_t n;
    mp_obj_t *items;
    mp_obj_get_array(io, &n, &items);  // TypeError unless a tuple/list
    if (n != 6) {
        mp_raise_ValueError(MP_ERROR_TEXT("io: expected a 6-tuple"));
    }
    mn_runner_t *r = mp_obj_malloc(mn_runner_t, &mn_type_runner);
    r->model = model;
    r->io = io;
    return MP_OBJ_FROM_PTR(r);
}
MP_DEFINE_CONST_FUN_OBJ_2(mn_py_runner_obj, mn_py_runner);

