// Argument checks shared by every binding file (mod_micronn.c, bind_*.c): they raise
// ValueError/TypeError naming the argument, so kernels only ever see valid buffers.
#ifndef MN_ARGS_H
#define MN_ARGS_H

#include "py/obj.h"

#include "micronn.h"

// MN_I16/MN_U32/MN_U64: 2/4/8-byte integers (an array of any integer typecode of that size, or
// raw bytes), used by the audio front end (signal area) and int16/uint32 elementwise ops.
typedef enum { MN_I8, MN_I32, MN_F32, MN_I16, MN_U32, MN_U64 } mn_dtype_t;
#define MN_DIM_MAX 32767
#define MN_COUNT_MAX (1 << 30)

const char *mn_dtype_name(mn_dtype_t t);
static inline size_t mn_dtype_size(mn_dtype_t t) {
    return t == MN_I8 ? 1 : (t == MN_I16 ? 2 : (t == MN_U64 ? 8 : 4));
}
void *mn_get_buf(mp_obj_t obj, const char *name, mn_dtype_t dtype, mp_int_t count, bool writable);
mp_int_t mn_get_int(mp_obj_t obj, const char *name, mp_int_t lo, mp_int_t hi);
mp_int_t mn_i32_len(mp_obj_t obj, const char *name);
void mn_get_requant(mp_obj_t mult_obj, mp_obj_t shift_obj, mp_int_t channels, mn_requant_t *rq);
// The int32 accumulator of `taps` products (x + input_offset) * w, |.| <= 255 * 128, plus the
// largest |bias| of `n` (bias may be NULL) cannot overflow: checked at every call, since a model's
// bias may change after load() (C calls the overflow undefined; TFLite Micro's arithmetic wraps).
void mn_check_accumulator(mp_int_t taps, const int32_t *bias, mp_int_t n);
// The `n` entries of a per-channel requantization array: a multiplier >= 0, a shift in [-31, 30]
// (`name` says which; as mn_get_requant checks the hand-written bindings' arrays).
void mn_check_requant_array(const int32_t *a, const char *name, mp_int_t n);
void mn_get_quant(mp_obj_t in_off, mp_obj_t out_off, mp_obj_t act_min, mp_obj_t act_max, mn_quant_t *q);
mp_int_t mn_buf_count(mp_obj_t obj, const char *name, mn_dtype_t dtype);
// The int32 `params` array of an op: exactly `n` entries, each within its range (the tables
// mn_<layout>_spec of bind_spec_params.c, generated from the op spec).
const int32_t *mn_get_params(mp_obj_t obj, const mn_param_spec_t *spec, int n);
void mn_check_act(const int32_t *p, int i_min);
mp_int_t mn_count(const char *name, int32_t a, int32_t b, int32_t c, int32_t d);
// Elements a broadcast operand spans: 1 + sum_k (p[dims + k] - 1) * p[strides + k], k < ndim,
// at most MN_COUNT_MAX.
mp_int_t mn_span(const int32_t *p, int dims, int strides, int ndim, const char *name);

// Never called: holds the firmware's longest message text (see mn_args.c).
void mn_rom_text_guard(void);

#endif // MN_ARGS_H
