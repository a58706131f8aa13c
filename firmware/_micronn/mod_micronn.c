// _micronn: MicroPython bindings for the micronn kernels.
// The only file that includes py/*: it checks every argument, then calls a kernel.
#include <string.h>

#include "py/obj.h"
#include "py/objarray.h"
#include "py/runtime.h"
#include "py/binary.h"

#include "micronn.h"
#include "mn_port.h"

// ---------------------------------------------------------------------------
// Argument checking

typedef enum { MN_I8, MN_I32 } mn_dtype_t;

static const char *mn_dtype_name(mn_dtype_t t) {
    return t == MN_I8 ? "int8" : "int32";
}

// Get a buffer of `count` elements of `dtype` from argument `name`.
// int8: any buffer with 1-byte items ('b', 'B', bytearray, bytes).
// int32: an array of 4-byte ints ('i', 'l'), or raw bytes (1-byte items) of 4*count bytes,
// 4-byte aligned (constants used in place from a model file).
static void *mn_get_buf(mp_obj_t obj, const char *name, mn_dtype_t dtype, mp_int_t count, bool writable) {
    mp_buffer_info_t bi;
    if (!mp_get_buffer(obj, &bi, writable ? MP_BUFFER_RW : MP_BUFFER_READ)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%s: expected a %s%s buffer, got %s"),
            name, writable ? "writable " : "", mn_dtype_name(dtype), mp_obj_get_type_str(obj));
    }
    size_t itemsize = mp_binary_get_size('@', bi.typecode, NULL);
    bool ok;
    if (dtype == MN_I8) {
        ok = itemsize == 1 && bi.typecode != 'c';
    } else {
        ok = (itemsize == 4 && (bi.typecode == 'i' || bi.typecode == 'l'))
            || (itemsize == 1 && bi.typecode != 'c' && bi.typecode != 'b');
    }
    if (!ok) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: expected %s data, got typecode '%c'"),
            name, mn_dtype_name(dtype), bi.typecode < 32 ? 'B' : bi.typecode);
    }
    size_t elem = dtype == MN_I8 ? 1 : 4;
    if (count < 0 || bi.len != (size_t)count * elem) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: expected %s array of %d, got %d bytes"),
            name, mn_dtype_name(dtype), (int)count, (int)bi.len);
    }
    if (elem == 4 && ((uintptr_t)bi.buf & 3) != 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: int32 data must be 4-byte aligned"), name);
    }
    return bi.buf;
}

static mp_int_t mn_get_int(mp_obj_t obj, const char *name, mp_int_t lo, mp_int_t hi) {
    if (!mp_obj_is_int(obj)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%s: expected int, got %s"),
            name, mp_obj_get_type_str(obj));
    }
    mp_int_t v = mp_obj_get_int(obj);
    if (v < lo || v > hi) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: %d out of range [%d, %d]"),
            name, (int)v, (int)lo, (int)hi);
    }
    return v;
}

// Number of elements in an int32 buffer (array 'i'/'l', or raw bytes / 4).
static mp_int_t mn_i32_len(mp_obj_t obj, const char *name) {
    mp_buffer_info_t bi;
    if (!mp_get_buffer(obj, &bi, MP_BUFFER_READ)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%s: expected an int32 buffer, got %s"),
            name, mp_obj_get_type_str(obj));
    }
    return bi.len / 4;
}

// multiplier/shift: per-tensor (1 entry) or per-channel (`channels` entries).
static void mn_get_requant(mp_obj_t mult_obj, mp_obj_t shift_obj, mp_int_t channels, mn_requant_t *rq) {
    mp_int_t n = mn_i32_len(mult_obj, "multiplier");
    if (n != 1 && n != channels) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("multiplier: expected int32 array of 1 or %d, got %d"), (int)channels, (int)n);
    }
    rq->multiplier = mn_get_buf(mult_obj, "multiplier", MN_I32, n, false);
    rq->shift = mn_get_buf(shift_obj, "shift", MN_I32, n, false);
    rq->per_channel = n > 1;
    for (mp_int_t i = 0; i < n; i++) {
        if (rq->multiplier[i] < 0) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("multiplier[%d]: %d is negative"),
                (int)i, (int)rq->multiplier[i]);
        }
        if (rq->shift[i] < -31 || rq->shift[i] > 30) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("shift[%d]: %d out of range [-31, 30]"),
                (int)i, (int)rq->shift[i]);
        }
    }
}

static void mn_get_quant(mp_obj_t in_off, mp_obj_t out_off, mp_obj_t act_min, mp_obj_t act_max, mn_quant_t *q) {
    q->input_offset = mn_get_int(in_off, "input_offset", -127, 128);
    q->output_offset = mn_get_int(out_off, "output_offset", -128, 127);
    q->act_min = mn_get_int(act_min, "act_min", -128, 127);
    q->act_max = mn_get_int(act_max, "act_max", -128, 127);
    if (q->act_min > q->act_max) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("act_min %d > act_max %d"),
            (int)q->act_min, (int)q->act_max);
    }
}

// ---------------------------------------------------------------------------
// Kernels

// fully_connected_s8(input, weights, bias, output, in_features, out_features,
//                    input_offset, output_offset, multiplier, shift, act_min, act_max)
static mp_obj_t mn_py_fully_connected_s8(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    mp_int_t in_f = mn_get_int(args[4], "in_features", 1, 1 << 24);
    mp_int_t out_f = mn_get_int(args[5], "out_features", 1, 1 << 24);
    mp_buffer_info_t ib;
    mp_get_buffer_raise(args[0], &ib, MP_BUFFER_READ);
    if (ib.len == 0 || ib.len % in_f != 0) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("input: expected int8 array of a multiple of in_features=%d, got %d"),
            (int)in_f, (int)ib.len);
    }
    mp_int_t batches = ib.len / in_f;
    const int8_t *input = mn_get_buf(args[0], "input", MN_I8, batches * in_f, false);
    const int8_t *weights = mn_get_buf(args[1], "weights", MN_I8, out_f * in_f, false);
    const int32_t *bias = args[2] == mp_const_none ? NULL : mn_get_buf(args[2], "bias", MN_I32, out_f, false);
    int8_t *output = mn_get_buf(args[3], "output", MN_I8, batches * out_f, true);
    mn_quant_t q;
    mn_get_quant(args[6], args[7], args[10], args[11], &q);
    mn_requant_t rq;
    mn_get_requant(args[8], args[9], out_f, &rq);
    mn_fully_connected_s8(input, weights, bias, output, batches, in_f, out_f, &q, &rq);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_fully_connected_s8_obj, 12, 12, mn_py_fully_connected_s8);

// ---------------------------------------------------------------------------
// Timing: a monotonic counter. On the QEMU boards it counts SysTick ticks, which
// under `-icount shift=0` are a fixed number of guest instructions each.

static mp_obj_t mn_py_ticks(void) {
    return mp_obj_new_int_from_ull(mn_port_ticks());
}
static MP_DEFINE_CONST_FUN_OBJ_0(mn_py_ticks_obj, mn_py_ticks);

static const mp_rom_map_elem_t mn_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__micronn) },
    { MP_ROM_QSTR(MP_QSTR_fully_connected_s8), MP_ROM_PTR(&mn_py_fully_connected_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_ticks), MP_ROM_PTR(&mn_py_ticks_obj) },
    { MP_ROM_QSTR(MP_QSTR_TICK_UNIT), MP_ROM_QSTR(MN_PORT_TICK_UNIT_QSTR) },
    { MP_ROM_QSTR(MP_QSTR_TICK_SCALE), MP_ROM_INT(MN_PORT_TICK_SCALE) },
    { MP_ROM_QSTR(MP_QSTR_ARCH), MP_ROM_QSTR(MN_ARCH_QSTR) },
};
static MP_DEFINE_CONST_DICT(mn_module_globals, mn_module_globals_table);

const mp_obj_module_t mn_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&mn_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR__micronn, mn_user_cmodule);
