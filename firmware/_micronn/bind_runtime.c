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

// Whether user buffer `o` (buffer info `b`) may hold data of the tensor's array typecode `want`:
// bytes, bytearray and 'B' memoryviews are raw bytes (1-byte tensors); an array or a typed
// memoryview needs the same item size and kind (float, signed, unsigned).
static bool mn_type_ok(mp_obj_t o, const mp_buffer_info_t *b, int want) {
    size_t size = mp_binary_get_size('@', want, NULL);
    int got = b->typecode;
    if (mp_obj_is_str(o)) {
        return false;  // text is not tensor data (CPython has no buffer for str either)
    }
    if (got == BYTEARRAY_TYPECODE || mp_obj_is_type(o, &mp_type_bytes)
        || (got == 'B' && !mp_obj_is_type(o, &mp_type_array))) {
        return size == 1;
    }
    #define MN_KIND(c) ((c) == 'f' || (c) == 'd' ? 2 : (c) >= 'a')
    return mp_binary_get_size('@', got, NULL) == size && MN_KIND(got) == MN_KIND(want);
}

// copy_in(dst, src, typecode, index): copy between a user buffer and an arena view without
// allocating. index >= 0: src is the user's buffer for input <index>; index < 0: dst is the
// user's buffer for output <-1 - index>; typecode: ord() of the tensor's array typecode.
// Returns True when copied; False, having done nothing, when the user buffer is not a buffer
// (or a str), its type differs (mn_type_ok) or its length does: Model's Python path then
// raises the error naming the argument, in the same words as under CPython.
static mp_obj_t mn_py_copy_in(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    mp_int_t want = mp_obj_get_int(args[2]);
    bool is_out = mp_obj_get_int(args[3]) < 0;
    mp_obj_t user = is_out ? args[0] : args[1];
    mp_buffer_info_t dst, src, ub;
    if (!mp_get_buffer(user, &ub, is_out ? MP_BUFFER_WRITE : MP_BUFFER_READ) || !mn_type_ok(user, &ub, want)) {
        return mp_const_false;
    }
    mp_get_buffer_raise(args[0], &dst, MP_BUFFER_WRITE);
    mp_get_buffer_raise(args[1], &src, MP_BUFFER_READ);
    if (src.len != dst.len) {
        return mp_const_false;
    }
    memcpy(dst.buf, src.buf, dst.len);
    return mp_const_true;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_copy_in_obj, 4, 4, mn_py_copy_in);

// typecode(o): what a user buffer declares of its items, as Model's checks read it under
// CPython (array.typecode, memoryview.format): the typecode ('b', 'h', 'f', ...) of an array
// or a typed memoryview; '' for raw bytes (bytes, bytearray, a memoryview of bytes); None for
// an object that is not tensor data (no buffer protocol, or a str).
static mp_obj_t mn_py_typecode(mp_obj_t o) {
    mp_buffer_info_t b;
    if (mp_obj_is_str(o) || !mp_get_buffer(o, &b, MP_BUFFER_READ)) {
        return mp_const_none;
    }
    int got = b.typecode;
    if (got == BYTEARRAY_TYPECODE || mp_obj_is_type(o, &mp_type_bytes)
        || (got == 'B' && !mp_obj_is_type(o, &mp_type_array))) {
        return MP_OBJ_NEW_QSTR(MP_QSTR_);
    }
    char c = (char)got;
    return mp_obj_new_str(&c, 1);
}
MP_DEFINE_CONST_FUN_OBJ_1(mn_py_typecode_obj, mn_py_typecode);

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
        if (!mn_type_ok(objs[i], &buf[i], mp_obj_get_int(items[i])) || buf[i].len != vb.len) {
            return false;
        }
    }
    return true;
}

#define MN_IO_MAX 16 // inputs / outputs run_io takes (more: the Python path)

// run_io(io, inputs, outputs): Model.run without Python in the loop. io = (run_io, plan,
// input views, input typecodes, output views, output typecodes[, state, guarded buffers])
// (typecodes as ints: ord()). inputs/outputs as for
// Model.run (a buffer, or a list/tuple of them; None: keep the arena's inputs / copy no
// outputs). Returns False, having done nothing, unless every given buffer is a bytes,
// bytearray, array or memoryview (outputs writable) of the view's item size and length:
// Model.run then takes its Python path, which raises the errors naming the argument.
// Otherwise copies the inputs in, runs the plan, copies the outputs out, returns True.
static mp_obj_t mn_py_run_io(mp_obj_t io_obj, mp_obj_t inp, mp_obj_t out) {
    size_t n_io;
    mp_obj_t *io;
    mp_obj_get_array(io_obj, &n_io, &io);
    if (n_io < 6) {
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

// runner(model, io): a callable r(inp=None, out=None) that a Model installs as its `run` at
// load: run_io(io, inp, out) without a Python frame around it. Returns `out`, or
// model._new_outputs() when out is None; when run_io declines (buffer kinds or sizes it does
// not take: it has done nothing then), it calls model._run(inp, out), whose checks raise the
// errors naming the argument. io[6] is the model's state byte (MN_BUSY: a run is under way;
// MN_STALE: the last run overwrote the inputs; MN_REUSED: the arena reuses the inputs' bytes),
// io[7] the buffers the model keeps views into (arena, model bytes): their address and length
// at the runner's creation are checked on every call (a moved bytearray: RuntimeError).
#define MN_BUSY 1
#define MN_STALE 2
#define MN_GUARDS 2
typedef struct {
    mp_obj_base_t base;
    mp_obj_t model;
    mp_obj_t io;
    uint8_t *state;
    size_t n_guard;
    mp_obj_t guard[MN_GUARDS];
    void *guard_buf[MN_GUARDS];
    size_t guard_len[MN_GUARDS];
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
    for (size_t i = 0; i < self->n_guard; i++) {
        mp_buffer_info_t b;
        mp_get_buffer_raise(self->guard[i], &b, MP_BUFFER_READ);
        if (b.buf != self->guard_buf[i] || b.len < self->guard_len[i]) {
            mp_raise_msg_varg(&mp_type_RuntimeError,
                MP_ERROR_TEXT("run: the %s buffer moved or shrank after load() (%d bytes at %p, now %d at %p): "
                    "do not resize it while the model is in use"),
                i ? "arena" : "model", (int)self->guard_len[i], self->guard_buf[i], (int)b.len, b.buf);
        }
    }
    uint8_t *st = self->state;
    if (st && (*st & MN_BUSY)) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("run: this model is already running (run() from one of its own ops)"));
    }
    if (st && io[0] == mp_const_none && (*st & MN_STALE)) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("run: no inputs given and the last run overwrote them "
            "(the arena reuses their bytes): pass the inputs or write input_view() again"));
    }
    mp_obj_t done = mp_const_false;
    if (st) {
        *st |= MN_BUSY;
        nlr_buf_t nlr;
        if (nlr_push(&nlr) == 0) {
            done = mn_py_run_io(self->io, io[0], io[1]);
            nlr_pop();
        } else {
            *st &= ~MN_BUSY;
            nlr_jump(nlr.ret_val);
        }
        // A finished run leaves the inputs stale when the arena reuses them (MN_REUSED = 4).
        *st = done == mp_const_true ? (uint8_t)((*st & ~(MN_BUSY | MN_STALE)) | ((*st >> 1) & MN_STALE))
            : (uint8_t)(*st & ~MN_BUSY);
    } else {
        done = mn_py_run_io(self->io, io[0], io[1]);
    }
    mp_obj_t dest[4];
    if (done == mp_const_true) {
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
    if (n != 6 && n != 8) {
        mp_raise_ValueError(MP_ERROR_TEXT("io: expected a 6-tuple"));
    }
    mn_runner_t *r = mp_obj_malloc(mn_runner_t, &mn_type_runner);
    r->model = model;
    r->io = io;
    r->state = NULL;
    r->n_guard = 0;
    if (n == 8) {
        mp_buffer_info_t b;
        mp_get_buffer_raise(items[6], &b, MP_BUFFER_WRITE);
        r->state = b.buf;
        size_t ng;
        mp_obj_t *g;
        mp_obj_get_array(items[7], &ng, &g);
        for (size_t i = 0; i < ng && i < MN_GUARDS; i++) {
            if (g[i] != mp_const_none && !mp_obj_is_type(g[i], &mp_type_bytes)) {  // bytes cannot move
                mp_get_buffer_raise(g[i], &b, MP_BUFFER_READ);
                r->guard[r->n_guard] = g[i];
                r->guard_buf[r->n_guard] = b.buf;
                r->guard_len[r->n_guard++] = b.len;
            }
        }
    }
    return MP_OBJ_FROM_PTR(r);
}
MP_DEFINE_CONST_FUN_OBJ_2(mn_py_runner_obj, mn_py_runner);

// ---------------------------------------------------------------- runtime ops (control flow)
// The model file's runtime ops (fileformat.RUNTIME_OPS), run from their plan steps without a
// Python frame; model.py has the same functions in Python for CPython. Plans are lists/tuples of
// (function, args) as for run_plan; model.py checked at load that the subgraphs nest at most
// MAX_NESTING deep and never run themselves, so the C recursion here is bounded.

// copy(dst, src): dst's bytes = src's (equal lengths; READ_VARIABLE, ASSIGN_VARIABLE and the
// copies between an op's tensors and its subgraph's).
static mp_obj_t mn_py_copy(mp_obj_t dst_obj, mp_obj_t src_obj) {
    mp_buffer_info_t dst, src;
    mp_get_buffer_raise(dst_obj, &dst, MP_BUFFER_WRITE);
    mp_get_buffer_raise(src_obj, &src, MP_BUFFER_READ);
    if (dst.len != src.len) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("copy: %d bytes into %d"), (int)src.len, (int)dst.len);
    }
    memmove(dst.buf, src.buf, dst.len);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(mn_py_copy_obj, mn_py_copy);

// copy_rect(dst, dst_off, dst_stride, src, src_off, src_stride, row_bytes, rows): rows rows of
// row_bytes bytes, from src at src_off + r * src_stride to dst at dst_off + r * dst_stride (the
// patch windows of micronn/patched.py); every row inside both buffers, else ValueError.
static mp_obj_t mn_py_copy_rect(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    mp_buffer_info_t dst, src;
    mp_get_buffer_raise(args[0], &dst, MP_BUFFER_WRITE);
    mp_get_buffer_raise(args[3], &src, MP_BUFFER_READ);
    mp_int_t d0 = mp_obj_get_int(args[1]), ds = mp_obj_get_int(args[2]);
    mp_int_t s0 = mp_obj_get_int(args[4]), ss = mp_obj_get_int(args[5]);
    mp_int_t n = mp_obj_get_int(args[6]), rows = mp_obj_get_int(args[7]);
    if (n < 0 || rows < 0 || d0 < 0 || s0 < 0 || ds < n || ss < n || rows > 0x7fffff || ds > 0x7fffff || ss > 0x7fffff
        || (rows > 0 && ((uint64_t)d0 + (uint64_t)(rows - 1) * ds + n > dst.len
                         || (uint64_t)s0 + (uint64_t)(rows - 1) * ss + n > src.len))) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("copy_rect: %d rows of %d bytes (strides %d, %d) outside dst (%d bytes at %d) or src (%d bytes at %d)"),
            (int)rows, (int)n, (int)ds, (int)ss, (int)dst.len, (int)d0, (int)src.len, (int)s0);
    }
    uint8_t *d = (uint8_t *)dst.buf + d0;
    const uint8_t *s = (const uint8_t *)src.buf + s0;
    for (mp_int_t r = 0; r < rows; r++, d += ds, s += ss) {
        memmove(d, s, n);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_copy_rect_obj, 8, 8, mn_py_copy_rect);

// The first byte of a (bool) tensor view: TFLite Micro reads data.b[0].
static bool mn_flag(mp_obj_t view) {
    mp_buffer_info_t b;
    mp_get_buffer_raise(view, &b, MP_BUFFER_READ);
    if (b.len < 1) {
        mp_raise_ValueError(MP_ERROR_TEXT("flag: empty tensor"));
    }
    return ((const uint8_t *)b.buf)[0] != 0;
}

// run_if(cond, then_plan, else_plan): IF (each plan copies the op's inputs in and its outputs out).
static mp_obj_t mn_py_run_if(mp_obj_t cond, mp_obj_t then_plan, mp_obj_t else_plan) {
    mn_run_plan(mn_flag(cond) ? then_plan : else_plan, NULL);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_run_if_obj, mn_py_run_if);

// run_while(pre, cond_plan, cond_out, body_plan, limit, op): WHILE as TFLite Micro's WhileEval:
// pre (inputs -> cond inputs and outputs), cond; while cond_out[0]: body (outputs -> body inputs,
// body, body outputs -> outputs -> cond inputs), cond. More than limit[0] (an int32 buffer)
// iterations: RuntimeError naming op `op`, instead of a hang.
static mp_obj_t mn_py_run_while(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    mp_buffer_info_t lim;
    mp_get_buffer_raise(args[4], &lim, MP_BUFFER_READ);
    if (lim.len != 4) {
        mp_raise_ValueError(MP_ERROR_TEXT("run_while: limit must be 4 bytes"));
    }
    int32_t most;
    memcpy(&most, lim.buf, 4);
    mn_run_plan(args[0], NULL);
    mn_run_plan(args[1], NULL);
    int32_t k = 0;
    while (mn_flag(args[2])) {
        if (k >= most) {
            mp_raise_msg_varg(&mp_type_RuntimeError,
                MP_ERROR_TEXT("op %d (WHILE): more than %d iterations (Model.while_limit): does its "
                    "cond subgraph ever return false?"), (int)mp_obj_get_int(args[5]), (int)most);
        }
        k++;
        mn_run_plan(args[3], NULL);
        mn_run_plan(args[1], NULL);
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_run_while_obj, 6, 6, mn_py_run_while);

// run_once(flag, plan): CALL_ONCE: run the init plan unless flag[0] is set, then set it.
static mp_obj_t mn_py_run_once(mp_obj_t flag, mp_obj_t plan) {
    if (!mn_flag(flag)) {
        mn_run_plan(plan, NULL);
        mp_buffer_info_t b;
        mp_get_buffer_raise(flag, &b, MP_BUFFER_WRITE);
        ((uint8_t *)b.buf)[0] = 1;
    }
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_2(mn_py_run_once_obj, mn_py_run_once);
