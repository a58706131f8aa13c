// _micronn: MicroPython bindings for the micronn kernels.
// Binding files (this one and bind_*.c) are the only C files that include py/*: they check
// every argument (mn_args.h), then call a kernel.
#include <string.h>

#include "py/obj.h"
#include "py/objarray.h"
#include "py/runtime.h"
#include "py/binary.h"

#include "micronn.h"
#include "mn_args.h"
#include "mn_bind_areas.h"
#include "mn_port.h"
#include "port/mn_dual.h"

#if defined(MICRONN_PORT_CORTEXM_SYSTICK)
extern const mp_obj_fun_builtin_fixed_t mn_py_host_read_obj; // port/mn_host_read.c
#endif

// ---------------------------------------------------------------------------
// Kernel timing (benchmarks): when enabled with kernel_timing(True), the conv/depthwise/FC/
// pool/add bindings read the tick counter right before and after the C kernel call, so
// kernel_ticks() is the kernel alone, without argument checks or the Python call.

static bool mn_ktime_on;
static uint64_t mn_ktime_last;
#define MN_KTIME_BEGIN uint64_t mn_kt0_ = mn_ktime_on ? mn_port_ticks() : 0
#define MN_KTIME_END \
    if (mn_ktime_on) { \
        mn_ktime_last = mn_port_ticks() - mn_kt0_; \
    }

static mp_obj_t mn_py_kernel_timing(mp_obj_t on) {
    mn_ktime_on = mp_obj_is_true(on);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(mn_py_kernel_timing_obj, mn_py_kernel_timing);

static mp_obj_t mn_py_kernel_ticks(void) {
    return mp_obj_new_int_from_ull(mn_ktime_last);
}
static MP_DEFINE_CONST_FUN_OBJ_0(mn_py_kernel_ticks_obj, mn_py_kernel_ticks);

#if MICRONN_DUAL_CORE
// core1_jobs(): layers RP2040 core 1 has computed a part of since boot (port/mn_dual_rp2.c).
static mp_obj_t mn_py_core1_jobs(void) {
    return mp_obj_new_int_from_uint(mn_dual_core1_jobs());
}
static MP_DEFINE_CONST_FUN_OBJ_0(mn_py_core1_jobs_obj, mn_py_core1_jobs);
#endif

// ---------------------------------------------------------------------------
// Kernels

// fully_connected_s8(input, weights, bias, output, in_features, out_features,
//                    input_offset, output_offset, multiplier, shift, act_min, act_max)
static mp_obj_t mn_fc_common(const mp_obj_t *args, bool ref) {
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
    mn_check_accumulator(in_f, bias, out_f);
    MN_KTIME_BEGIN;
    if (ref) {
        mn_fully_connected_s8_ref(input, weights, bias, output, batches, in_f, out_f, &q, &rq);
    } else {
        #if MICRONN_DUAL_CORE
        if (!mn_dual_fc(input, weights, bias, output, batches, in_f, out_f, &q, &rq))
        #endif
        mn_fully_connected_s8(input, weights, bias, output, batches, in_f, out_f, &q, &rq);
    }
    MN_KTIME_END;
    return mp_const_none;
}

static mp_obj_t mn_py_fully_connected_s8(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    return mn_fc_common(args, false);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_fully_connected_s8_obj, 12, 12, mn_py_fully_connected_s8);

// fully_connected_s8_ref: the plain C reference kernel, same arguments.
static mp_obj_t mn_py_fully_connected_s8_ref(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    return mn_fc_common(args, true);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_fully_connected_s8_ref_obj, 12, 12, mn_py_fully_connected_s8_ref);


// conv2d_s8 / depthwise_conv2d_s8(input, weights, bias, output, params, multiplier, shift[, scratch])
// scratch: a writable buffer of at least <op>_scratch_size(params) bytes, 4-byte aligned (the
// converter plans it in the arena); without it the binding allocates one for the call.
// conv2d_s8_ref / depthwise_conv2d_s8_ref: the plain C reference kernels (7 arguments).
static mp_obj_t mn_conv_common(size_t n_args, const mp_obj_t *args, bool depthwise, bool ref) {
    const int32_t *p = mn_get_params(args[4], mn_conv_spec, depthwise ? MN_DWCONV_NPARAMS : MN_CONV_NPARAMS);
    mn_check_act(p, MN_CONV_ACT_MIN);
    const int32_t out_c = p[MN_CONV_OUT_C];
    if (depthwise && out_c != p[MN_CONV_IN_C] * p[MN_CONV_DEPTH_MULT]) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: out_c %d != in_c %d * depth_multiplier %d"),
            (int)out_c, (int)p[MN_CONV_IN_C], (int)p[MN_CONV_DEPTH_MULT]);
    }
    mp_int_t n_in = mn_count("input", p[MN_CONV_N], p[MN_CONV_IN_H], p[MN_CONV_IN_W], p[MN_CONV_IN_C]);
    mp_int_t n_w = depthwise ? mn_count("weights", 1, p[MN_CONV_K_H], p[MN_CONV_K_W], out_c)
                             : mn_count("weights", out_c, p[MN_CONV_K_H], p[MN_CONV_K_W], p[MN_CONV_IN_C]);
    mp_int_t n_out = mn_count("output", p[MN_CONV_N], p[MN_CONV_OUT_H], p[MN_CONV_OUT_W], out_c);
    const int8_t *input = mn_get_buf(args[0], "input", MN_I8, n_in, false);
    const int8_t *weights = mn_get_buf(args[1], "weights", MN_I8, n_w, false);
    const int32_t *bias = args[2] == mp_const_none ? NULL : mn_get_buf(args[2], "bias", MN_I32, out_c, false);
    int8_t *output = mn_get_buf(args[3], "output", MN_I8, n_out, true);
    mn_requant_t rq;
    mn_get_requant(args[5], args[6], out_c, &rq);
    mn_check_accumulator(depthwise ? p[MN_CONV_K_H] * p[MN_CONV_K_W]
                                   : p[MN_CONV_K_H] * p[MN_CONV_K_W] * p[MN_CONV_IN_C], bias, out_c);
    void *scratch = NULL, *tmp = NULL;
    mp_int_t need = 0;
    if (!ref) {
        need = depthwise ? mn_depthwise_conv2d_s8_scratch_size(p) : mn_conv2d_s8_scratch_size(p);
        if (n_args > 7 && args[7] != mp_const_none) {
            mp_buffer_info_t sb;
            if (!mp_get_buffer(args[7], &sb, MP_BUFFER_RW)) {
                mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("scratch: expected a writable buffer, got %s"),
                    mp_obj_get_type_str(args[7]));
            }
            if ((mp_int_t)sb.len < need) {
                mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("scratch: expected at least %d bytes, got %d"),
                    (int)need, (int)sb.len);
            }
            if (((uintptr_t)sb.buf & 3) != 0) {
                mp_raise_ValueError(MP_ERROR_TEXT("scratch: must be 4-byte aligned"));
            }
            scratch = sb.buf;
        } else if (need > 0) {
            scratch = tmp = m_malloc_maybe(need); // NULL: the kernel falls back to the reference
        }
    }
    MN_KTIME_BEGIN;
    #if MICRONN_DUAL_CORE
    if (!ref && mn_dual_conv(input, weights, bias, output, p, &rq, scratch, need, depthwise)) {
        // computed on both cores
    } else
    #endif
    if (depthwise) {
        if (ref) {
            mn_depthwise_conv2d_s8_ref(input, weights, bias, output, p, &rq);
        } else {
            mn_depthwise_conv2d_s8(input, weights, bias, output, p, &rq, scratch);
        }
    } else {
        if (ref) {
            mn_conv2d_s8_ref(input, weights, bias, output, p, &rq);
        } else {
            mn_conv2d_s8(input, weights, bias, output, p, &rq, scratch);
        }
    }
    MN_KTIME_END;
    if (tmp) {
        m_del(uint8_t, tmp, need);
    }
    return mp_const_none;
}

static mp_obj_t mn_py_conv2d_s8(size_t n_args, const mp_obj_t *args) {
    return mn_conv_common(n_args, args, false, false);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_conv2d_s8_obj, 7, 8, mn_py_conv2d_s8);

static mp_obj_t mn_py_depthwise_conv2d_s8(size_t n_args, const mp_obj_t *args) {
    return mn_conv_common(n_args, args, true, false);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_depthwise_conv2d_s8_obj, 7, 8, mn_py_depthwise_conv2d_s8);

static mp_obj_t mn_py_conv2d_s8_ref(size_t n_args, const mp_obj_t *args) {
    return mn_conv_common(n_args, args, false, true);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_conv2d_s8_ref_obj, 7, 7, mn_py_conv2d_s8_ref);

static mp_obj_t mn_py_depthwise_conv2d_s8_ref(size_t n_args, const mp_obj_t *args) {
    return mn_conv_common(n_args, args, true, true);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_depthwise_conv2d_s8_ref_obj, 7, 7, mn_py_depthwise_conv2d_s8_ref);

// conv2d_s8_scratch_size(params) / depthwise_conv2d_s8_scratch_size(params): bytes of scratch.
static mp_obj_t mn_py_conv2d_s8_scratch_size(mp_obj_t params) {
    return MP_OBJ_NEW_SMALL_INT(mn_conv2d_s8_scratch_size(mn_get_params(params, mn_conv_spec, MN_CONV_NPARAMS)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(mn_py_conv2d_s8_scratch_size_obj, mn_py_conv2d_s8_scratch_size);

static mp_obj_t mn_py_depthwise_conv2d_s8_scratch_size(mp_obj_t params) {
    return MP_OBJ_NEW_SMALL_INT(mn_depthwise_conv2d_s8_scratch_size(
        mn_get_params(params, mn_conv_spec, MN_DWCONV_NPARAMS)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(mn_py_depthwise_conv2d_s8_scratch_size_obj, mn_py_depthwise_conv2d_s8_scratch_size);

// avg_pool2d_s8 / max_pool2d_s8(input, output, params)
static mp_obj_t mn_pool_common(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj, bool avg) {
    const int32_t *p = mn_get_params(params_obj, mn_pool_spec, MN_POOL_NPARAMS);
    mn_check_act(p, MN_POOL_ACT_MIN);
    // Every window must overlap the input (TFLite Micro fails on an empty average window).
    for (int i = 0; i < 2; i++) {
        int32_t pad = p[MN_POOL_PAD_TOP + i], k = p[MN_POOL_K_H + i];
        int32_t last = (p[MN_POOL_OUT_H + i] - 1) * p[MN_POOL_STRIDE_H + i] - pad;
        if (pad >= k || last >= p[MN_POOL_IN_H + i]) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: %s window outside the input"),
                i == 0 ? "out_h/pad_top" : "out_w/pad_left");
        }
    }
    mp_int_t n_in = mn_count("input", p[MN_POOL_N], p[MN_POOL_IN_H], p[MN_POOL_IN_W], p[MN_POOL_C]);
    mp_int_t n_out = mn_count("output", p[MN_POOL_N], p[MN_POOL_OUT_H], p[MN_POOL_OUT_W], p[MN_POOL_C]);
    const int8_t *input = mn_get_buf(in_obj, "input", MN_I8, n_in, false);
    int8_t *output = mn_get_buf(out_obj, "output", MN_I8, n_out, true);
    MN_KTIME_BEGIN;
    if (avg) {
        mn_avg_pool2d_s8(input, output, p);
    } else {
        mn_max_pool2d_s8(input, output, p);
    }
    MN_KTIME_END;
    return mp_const_none;
}

static mp_obj_t mn_py_avg_pool2d_s8(mp_obj_t input, mp_obj_t output, mp_obj_t params) {
    return mn_pool_common(input, output, params, true);
}
static MP_DEFINE_CONST_FUN_OBJ_3(mn_py_avg_pool2d_s8_obj, mn_py_avg_pool2d_s8);

static mp_obj_t mn_py_max_pool2d_s8(mp_obj_t input, mp_obj_t output, mp_obj_t params) {
    return mn_pool_common(input, output, params, false);
}
static MP_DEFINE_CONST_FUN_OBJ_3(mn_py_max_pool2d_s8_obj, mn_py_max_pool2d_s8);

// add_s8(input1, input2, output, params)
// Elements an input spans: 1 + sum_k (d_k - 1) * s_k.
static mp_int_t mn_add_span(const int32_t *p, int strides, const char *name) {
    uint64_t span = 1;
    for (int k = 0; k < 4; k++) {
        span += (uint64_t)(p[MN_ADD_D0 + k] - 1) * (uint64_t)p[strides + k];
    }
    if (span > MN_COUNT_MAX) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("%s: more than %d elements"), name, MN_COUNT_MAX);
    }
    return (mp_int_t)span;
}

static mp_obj_t mn_py_add_s8(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_add_spec, MN_ADD_NPARAMS);
    mn_check_act(p, MN_ADD_ACT_MIN);
    mp_int_t n_out = mn_count("output", p[MN_ADD_D0], p[MN_ADD_D1], p[MN_ADD_D2], p[MN_ADD_D3]);
    const int8_t *in1 = mn_get_buf(args[0], "input1", MN_I8, mn_add_span(p, MN_ADD_IN1_S0, "input1"), false);
    const int8_t *in2 = mn_get_buf(args[1], "input2", MN_I8, mn_add_span(p, MN_ADD_IN2_S0, "input2"), false);
    int8_t *output = mn_get_buf(args[2], "output", MN_I8, n_out, true);
    MN_KTIME_BEGIN;
    mn_add_s8(in1, in2, output, p);
    MN_KTIME_END;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_add_s8_obj, 4, 4, mn_py_add_s8);

// softmax_s8(input, output, params)
static mp_obj_t mn_py_softmax_s8(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_softmax_spec, MN_SOFTMAX_NPARAMS);
    mp_int_t n = mn_count("input", p[MN_SOFTMAX_ROWS], p[MN_SOFTMAX_DEPTH], 1, 1);
    const int8_t *input = mn_get_buf(in_obj, "input", MN_I8, n, false);
    int8_t *output = mn_get_buf(out_obj, "output", MN_I8, n, true);
    mn_softmax_s8(input, output, p);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(mn_py_softmax_s8_obj, mn_py_softmax_s8);

// requantize_s8(input, output, params)
static mp_obj_t mn_py_requantize_s8(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_requant_spec, MN_REQUANT_NPARAMS);
    mp_int_t n = mn_buf_count(in_obj, "input", MN_I8);
    const int8_t *input = mn_get_buf(in_obj, "input", MN_I8, n, false);
    int8_t *output = mn_get_buf(out_obj, "output", MN_I8, n, true);
    mn_requantize_s8(input, output, n, p);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(mn_py_requantize_s8_obj, mn_py_requantize_s8);

// quantize_f32_s8(input, output, scale, zero_point) / dequantize_s8_f32(input, output, scale, zero_point)
static float mn_get_scale(mp_obj_t obj) {
    if (!mp_obj_is_float(obj) && !mp_obj_is_int(obj)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("scale: expected float, got %s"),
            mp_obj_get_type_str(obj));
    }
    float scale = (float)mp_obj_get_float(obj); // a float32 value, as in the model
    if (!(scale > 0.0f && scale <= 3.402823466e38f)) {
        mp_raise_ValueError(MP_ERROR_TEXT("scale: expected a positive finite float32"));
    }
    return scale;
}

static mp_obj_t mn_py_quantize_f32_s8(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    mp_int_t n = mn_buf_count(args[0], "input", MN_F32);
    const float *input = mn_get_buf(args[0], "input", MN_F32, n, false);
    int8_t *output = mn_get_buf(args[1], "output", MN_I8, n, true);
    float scale = mn_get_scale(args[2]);
    int32_t zp = mn_get_int(args[3], "zero_point", -128, 127);
    mn_quantize_f32_s8(input, output, n, scale, zp);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_quantize_f32_s8_obj, 4, 4, mn_py_quantize_f32_s8);

static mp_obj_t mn_py_dequantize_s8_f32(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    mp_int_t n = mn_buf_count(args[0], "input", MN_I8);
    const int8_t *input = mn_get_buf(args[0], "input", MN_I8, n, false);
    float *output = mn_get_buf(args[1], "output", MN_F32, n, true);
    float scale = mn_get_scale(args[2]);
    int32_t zp = mn_get_int(args[3], "zero_point", -128, 127);
    mn_dequantize_s8_f32(input, output, n, scale, zp);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_dequantize_s8_f32_obj, 4, 4, mn_py_dequantize_s8_f32);

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
    { MP_ROM_QSTR(MP_QSTR_conv2d_s8), MP_ROM_PTR(&mn_py_conv2d_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_depthwise_conv2d_s8), MP_ROM_PTR(&mn_py_depthwise_conv2d_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_fully_connected_s8_ref), MP_ROM_PTR(&mn_py_fully_connected_s8_ref_obj) },
    { MP_ROM_QSTR(MP_QSTR_conv2d_s8_ref), MP_ROM_PTR(&mn_py_conv2d_s8_ref_obj) },
    { MP_ROM_QSTR(MP_QSTR_depthwise_conv2d_s8_ref), MP_ROM_PTR(&mn_py_depthwise_conv2d_s8_ref_obj) },
    { MP_ROM_QSTR(MP_QSTR_conv2d_s8_scratch_size), MP_ROM_PTR(&mn_py_conv2d_s8_scratch_size_obj) },
    { MP_ROM_QSTR(MP_QSTR_depthwise_conv2d_s8_scratch_size), MP_ROM_PTR(&mn_py_depthwise_conv2d_s8_scratch_size_obj) },
    { MP_ROM_QSTR(MP_QSTR_kernel_timing), MP_ROM_PTR(&mn_py_kernel_timing_obj) },
    { MP_ROM_QSTR(MP_QSTR_kernel_ticks), MP_ROM_PTR(&mn_py_kernel_ticks_obj) },
    #if MICRONN_DUAL_CORE
    { MP_ROM_QSTR(MP_QSTR_core1_jobs), MP_ROM_PTR(&mn_py_core1_jobs_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_avg_pool2d_s8), MP_ROM_PTR(&mn_py_avg_pool2d_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_max_pool2d_s8), MP_ROM_PTR(&mn_py_max_pool2d_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_add_s8), MP_ROM_PTR(&mn_py_add_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_softmax_s8), MP_ROM_PTR(&mn_py_softmax_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_requantize_s8), MP_ROM_PTR(&mn_py_requantize_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_quantize_f32_s8), MP_ROM_PTR(&mn_py_quantize_f32_s8_obj) },
    { MP_ROM_QSTR(MP_QSTR_dequantize_s8_f32), MP_ROM_PTR(&mn_py_dequantize_s8_f32_obj) },
    { MP_ROM_QSTR(MP_QSTR_ticks), MP_ROM_PTR(&mn_py_ticks_obj) },
    { MP_ROM_QSTR(MP_QSTR_TICK_UNIT), MP_ROM_QSTR(MN_PORT_TICK_UNIT_QSTR) },
    { MP_ROM_QSTR(MP_QSTR_TICK_SCALE), MP_ROM_INT(MN_PORT_TICK_SCALE) },
    { MP_ROM_QSTR(MP_QSTR_ARCH), MP_ROM_QSTR(MN_ARCH_QSTR) },
    #if defined(MICRONN_PORT_CORTEXM_SYSTICK)
    { MP_ROM_QSTR(MP_QSTR_host_read), MP_ROM_PTR(&mn_py_host_read_obj) },
    #endif
    MN_BIND_AREA_ENTRIES
};
static MP_DEFINE_CONST_DICT(mn_module_globals, mn_module_globals_table);

const mp_obj_module_t mn_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&mn_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR__micronn, mn_user_cmodule);
