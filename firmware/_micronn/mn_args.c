// Argument checks shared by every binding file (see mn_args.h).
#include <string.h>

#include "py/obj.h"
#include "py/objarray.h"
#include "py/runtime.h"
#include "py/binary.h"

#include "mn_args.h"

// ---------------------------------------------------------------------------
// Argument checking


const char *mn_dtype_name(mn_dtype_t t) {
    static const char *const names[] = { "int8", "int32", "float32", "int16", "uint32", "uint64" };
    return names[t];
}

// Get a buffer of `count` elements of `dtype` from argument `name`.
// int8: any buffer with 1-byte items ('b', 'B', bytearray, bytes).
// int32: an array of 4-byte ints ('i', 'l'), or raw bytes (1-byte items) of 4*count bytes,
// 4-byte aligned (constants used in place from a model file).
// float32: an array of 4-byte floats ('f'), or raw bytes as for int32.
void *mn_get_buf(mp_obj_t obj, const char *name, mn_dtype_t dtype, mp_int_t count, bool writable) {
    mp_buffer_info_t bi;
    if (!mp_get_buffer(obj, &bi, writable ? MP_BUFFER_RW : MP_BUFFER_READ)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%s: expected a %s%s buffer, got %s"),
            name, writable ? "writable " : "", mn_dtype_name(dtype), mp_obj_get_type_str(obj));
    }
    size_t itemsize = mp_binary_get_size('@', bi.typecode, NULL);
    bool ok;
    if (dtype == MN_I8) {
        ok = itemsize == 1 && bi.typecode != 'c';
    } else if (dtype == MN_I32) {
        ok = (itemsize == 4 && (bi.typecode == 'i' || bi.typecode == 'l'))
            || (itemsize == 1 && bi.typecode != 'c' && bi.typecode != 'b');
    } else if (dtype == MN_F32) {
        ok = (itemsize == 4 && bi.typecode == 'f')
            || (itemsize == 1 && bi.typecode != 'c' && bi.typecode != 'b');
    } else { // MN_I16, MN_U32, MN_U64: any integer typecode of the element size, or raw bytes
        size_t want = dtype == MN_I16 ? 2 : (dtype == MN_U32 ? 4 : 8);
        ok = (itemsize == want && bi.typecode != 'f' && bi.typecode != 'd')
            || (itemsize == 1 && bi.typecode != 'c' && bi.typecode != 'b');
    }
    if (!ok) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: expected %s data, got typecode '%c'"),
            name, mn_dtype_name(dtype), bi.typecode < 32 ? 'B' : bi.typecode);
    }
    size_t elem = mn_dtype_size(dtype);
    if (count < 0 || bi.len != (size_t)count * elem) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: expected %s array of %d, got %d bytes"),
            name, mn_dtype_name(dtype), (int)count, (int)bi.len);
    }
    if (elem > 1 && ((uintptr_t)bi.buf & (elem > 4 ? 3 : elem - 1)) != 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: %s data must be %d-byte aligned"),
            name, mn_dtype_name(dtype), (int)(elem > 4 ? 4 : elem));
    }
    return bi.buf;
}

mp_int_t mn_get_int(mp_obj_t obj, const char *name, mp_int_t lo, mp_int_t hi) {
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
mp_int_t mn_i32_len(mp_obj_t obj, const char *name) {
    mp_buffer_info_t bi;
    if (!mp_get_buffer(obj, &bi, MP_BUFFER_READ)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%s: expected an int32 buffer, got %s"),
            name, mp_obj_get_type_str(obj));
    }
    return bi.len / 4;
}

// multiplier/shift: per-tensor (1 entry) or per-channel (`channels` entries).
void mn_get_requant(mp_obj_t mult_obj, mp_obj_t shift_obj, mp_int_t channels, mn_requant_t *rq) {
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

void mn_check_accumulator(mp_int_t taps, const int32_t *bias, mp_int_t n) {
    uint64_t worst = (uint64_t)taps * (255 * 128);
    uint32_t most = 0;
    for (mp_int_t i = 0; bias != NULL && i < n; i++) {
        uint32_t a = bias[i] < 0 ? 0u - (uint32_t)bias[i] : (uint32_t)bias[i];
        most = a > most ? a : most;
    }
    if (worst + most > INT32_MAX) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("bias: the int32 accumulator can overflow (%d taps x 255 x 128 + max |bias| %u > 2^31 - 1)"),
            (int)taps, (unsigned)most);
    }
}

void mn_check_requant_array(const int32_t *a, const char *name, mp_int_t n) {
    const bool shift = name[0] == 's';
    for (mp_int_t i = 0; i < n; i++) {
        if (shift ? (a[i] < -31 || a[i] > 30) : a[i] < 0) {
            mp_raise_msg_varg(&mp_type_ValueError, shift ? MP_ERROR_TEXT("%s[%d]: %d out of range [-31, 30]")
                                                         : MP_ERROR_TEXT("%s[%d]: %d is negative"),
                name, (int)i, (int)a[i]);
        }
    }
}

void mn_get_quant(mp_obj_t in_off, mp_obj_t out_off, mp_obj_t act_min, mp_obj_t act_max, mn_quant_t *q) {
    q->input_offset = mn_get_int(in_off, "input_offset", -127, 128);
    q->output_offset = mn_get_int(out_off, "output_offset", -128, 127);
    q->act_min = mn_get_int(act_min, "act_min", -128, 127);
    q->act_max = mn_get_int(act_max, "act_max", -128, 127);
    if (q->act_min > q->act_max) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("act_min %d > act_max %d"),
            (int)q->act_min, (int)q->act_max);
    }
}


// Number of elements in a buffer of `elem`-byte items (any buffer; typecodes are checked later
// by mn_get_buf).
mp_int_t mn_buf_count(mp_obj_t obj, const char *name, mn_dtype_t dtype) {
    mp_buffer_info_t bi;
    if (!mp_get_buffer(obj, &bi, MP_BUFFER_READ)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%s: expected a %s buffer, got %s"),
            name, mn_dtype_name(dtype), mp_obj_get_type_str(obj));
    }
    return (mp_int_t)(bi.len / mn_dtype_size(dtype));
}



const int32_t *mn_get_params(mp_obj_t obj, const mn_param_spec_t *spec, int n) {
    const int32_t *p = mn_get_buf(obj, "params", MN_I32, n, false);
    for (int i = 0; i < n; i++) {
        if (p[i] < spec[i].lo || p[i] > spec[i].hi) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params[%d] (%s): %d out of range [%d, %d]"),
                i, spec[i].name, (int)p[i], (int)spec[i].lo, (int)spec[i].hi);
        }
    }
    return p;
}

void mn_check_act(const int32_t *p, int i_min) {
    if (p[i_min] > p[i_min + 1]) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: act_min %d > act_max %d"),
            (int)p[i_min], (int)p[i_min + 1]);
    }
}

// Product of dims (element count of a tensor), at most MN_COUNT_MAX.
// Checked after every factor: four dims of up to 2^24 (broadcast layouts) would wrap uint64.
mp_int_t mn_count(const char *name, int32_t a, int32_t b, int32_t c, int32_t d) {
    const int32_t dims[4] = { a, b, c, d };
    uint64_t n = 1;
    for (int k = 0; k < 4; k++) {
        n *= (uint32_t)dims[k]; // n <= 2^30 before: at most 2^62 after
        if (n > MN_COUNT_MAX) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: more than %d elements"), name, MN_COUNT_MAX);
        }
    }
    return (mp_int_t)n;
}

mp_int_t mn_span(const int32_t *p, int dims, int strides, int ndim, const char *name) {
    uint64_t span = 1;
    for (int k = 0; k < ndim; k++) {
        span += (uint64_t)(p[dims + k] - 1) * (uint64_t)p[strides + k];
    }
    if (span > MN_COUNT_MAX) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: more than %d elements"), name, MN_COUNT_MAX);
    }
    return (mp_int_t)span;
}

// MicroPython v1.25 decompresses an exception message into a stack buffer of the longest
// message's length (MP_MAX_UNCOMPRESSED_TEXT_LEN, py/objexcept.c) with no room for the NUL that
// mp_decompress_rom_string writes, so raising the longest message writes one byte past it (ASan
// found it on a signal op's error). This message is the longest and is never raised: every
// message that is raised then fits. tests/host/test_config.py checks it stays the longest.
void mn_rom_text_guard(void) {
    mp_raise_ValueError(MP_ERROR_TEXT("rom text guard: the longest message text of the firmware, never raised, so that every real one fits the decompression buffer"));
}
