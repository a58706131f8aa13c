// Bindings of the signal area (the audio front end): argument checks (mn_args.h), then the
// kernels of kernels/mn_signal_*.c. Argument order and checks match host_tools/reference/signal.py.
#include "micronn_config.h"
#if MICRONN_OP_SIGNAL

#include "py/obj.h"
#include "py/runtime.h"

#include "micronn.h"
#include "mn_args.h"
#include "bind_signal.h"


// signal_window_s16(input, weights, output, params)
static mp_obj_t mn_py_signal_window_s16(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[3], mn_window_spec, MN_WINDOW_NPARAMS);
    mp_int_t n = mn_buf_count(args[1], "weights", MN_I16);
    mp_int_t total = mn_buf_count(args[0], "input", MN_I16);
    if (n == 0 || total % n != 0) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("input: expected int16 array of a multiple of %d (window length), got %d"),
            (int)n, (int)total);
    }
    const int16_t *input = mn_get_buf(args[0], "input", MN_I16, total, false);
    const int16_t *w = mn_get_buf(args[1], "weights", MN_I16, n, false);
    int16_t *output = mn_get_buf(args[2], "output", MN_I16, total, true);
    mn_signal_window_s16(input, w, output, total / n, n, p[MN_WINDOW_SHIFT]);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_signal_window_s16_obj, 4, 4, mn_py_signal_window_s16);

// signal_fft_auto_scale_s16(input, output, scale_bits)
static mp_obj_t mn_py_signal_fft_auto_scale_s16(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t sb_obj) {
    mp_int_t n = mn_buf_count(in_obj, "input", MN_I16);
    const int16_t *input = mn_get_buf(in_obj, "input", MN_I16, n, false);
    int16_t *output = mn_get_buf(out_obj, "output", MN_I16, n, true);
    int32_t *sb = mn_get_buf(sb_obj, "scale_bits", MN_I32, 1, true);
    sb[0] = mn_signal_fft_auto_scale_s16(input, output, n);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_signal_fft_auto_scale_s16_obj, mn_py_signal_fft_auto_scale_s16);

// signal_rfft_s16(input, twiddles, scratch, output, params)
static mp_obj_t mn_py_signal_rfft_s16(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[4], mn_rfft_spec, MN_RFFT_NPARAMS);
    int32_t nfft = p[MN_RFFT_FFT_LENGTH], in_len = p[MN_RFFT_INPUT_LENGTH];
    if ((nfft & (nfft - 1)) != 0 || in_len > nfft) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("params: fft_length %d must be a power of two >= input_length %d"),
            (int)nfft, (int)in_len);
    }
    mp_int_t total = mn_buf_count(args[0], "input", MN_I16);
    if (total == 0 || total % in_len != 0) {
        mp_raise_msg_varg(&mp_type_ValueError,
            MP_ERROR_TEXT("input: expected int16 array of a multiple of %d (input_length), got %d"),
            (int)in_len, (int)total);
    }
    mp_int_t rows = total / in_len;
    const int16_t *input = mn_get_buf(args[0], "input", MN_I16, total, false);
    const int16_t *tw = mn_get_buf(args[1], "twiddles", MN_I16, 3 * (nfft / 2), false);
    int16_t *scratch = mn_get_buf(args[2], "scratch", MN_I16, 2 * nfft, true);
    int16_t *output = mn_get_buf(args[3], "output", MN_I16, mn_count("output", rows, nfft + 2, 1, 1), true);
    mn_signal_rfft_s16(input, tw, scratch, output, rows, nfft, in_len);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_signal_rfft_s16_obj, 5, 5, mn_py_signal_rfft_s16);

// signal_energy_s16(input, output, params)
static mp_obj_t mn_py_signal_energy_s16(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_energy_spec, MN_ENERGY_NPARAMS);
    mp_int_t n = mn_buf_count(out_obj, "output", MN_U32);
    if (p[MN_ENERGY_START] > p[MN_ENERGY_END] || p[MN_ENERGY_END] > n) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("params: start_index %d, end_index %d outside [0, %d]"),
            (int)p[MN_ENERGY_START], (int)p[MN_ENERGY_END], (int)n);
    }
    const int16_t *input = mn_get_buf(in_obj, "input", MN_I16, 2 * n, false);
    uint32_t *output = mn_get_buf(out_obj, "output", MN_U32, n, true);
    mn_signal_energy_s16(input, output, n, p[MN_ENERGY_START], p[MN_ENERGY_END]);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_signal_energy_s16_obj, mn_py_signal_energy_s16);

// signal_filter_bank(input, weights, unweights, freq_starts, weight_starts, widths, output, params)
static mp_obj_t mn_py_signal_filter_bank(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[7], mn_fbank_spec, MN_FBANK_NPARAMS);
    int32_t nch = p[MN_FBANK_NUM_CHANNELS];
    mp_int_t n_in = mn_buf_count(args[0], "input", MN_U32);
    mp_int_t n_w = mn_buf_count(args[1], "weights", MN_I16);
    const uint32_t *input = mn_get_buf(args[0], "input", MN_U32, n_in, false);
    const int16_t *w = mn_get_buf(args[1], "weights", MN_I16, n_w, false);
    const int16_t *uw = mn_get_buf(args[2], "unweights", MN_I16, n_w, false);
    const int16_t *fs = mn_get_buf(args[3], "channel_frequency_starts", MN_I16, nch + 1, false);
    const int16_t *ws = mn_get_buf(args[4], "channel_weight_starts", MN_I16, nch + 1, false);
    const int16_t *wd = mn_get_buf(args[5], "channel_widths", MN_I16, nch + 1, false);
    uint64_t *output = mn_get_buf(args[6], "output", MN_U64, nch, true);
    for (int32_t c = 0; c <= nch; c++) {
        if (fs[c] < 0 || ws[c] < 0 || wd[c] < 0 || fs[c] + wd[c] > n_in || ws[c] + wd[c] > n_w) {
            mp_raise_msg_varg(&mp_type_ValueError,
                MP_ERROR_TEXT("channel %d: frequency start %d, weight start %d, width %d outside the input (%d) or weights (%d)"),
                (int)c, (int)fs[c], (int)ws[c], (int)wd[c], (int)n_in, (int)n_w);
        }
    }
    mn_signal_filter_bank(input, w, uw, fs, ws, wd, output, nch);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_signal_filter_bank_obj, 8, 8, mn_py_signal_filter_bank);

// signal_filter_bank_sqrt(input, scale_bits, output)
static mp_obj_t mn_py_signal_filter_bank_sqrt(mp_obj_t in_obj, mp_obj_t sb_obj, mp_obj_t out_obj) {
    mp_int_t n = mn_buf_count(in_obj, "input", MN_U64);
    const uint64_t *input = mn_get_buf(in_obj, "input", MN_U64, n, false);
    const int32_t *sb = mn_get_buf(sb_obj, "scale_bits", MN_I32, 1, false);
    if (sb[0] < 0 || sb[0] > 31) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("scale_bits: %d out of range [0, 31]"), (int)sb[0]);
    }
    uint32_t *output = mn_get_buf(out_obj, "output", MN_U32, n, true);
    mn_signal_filter_bank_sqrt(input, output, n, sb[0]);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_signal_filter_bank_sqrt_obj, mn_py_signal_filter_bank_sqrt);

// signal_spectral_subtraction(input, output, noise_estimate, state, params)
static mp_obj_t mn_py_signal_spectral_subtraction(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[4], mn_specsub_spec, MN_SPECSUB_NPARAMS);
    int32_t n = p[MN_SPECSUB_NUM_CHANNELS];
    const uint32_t *input = mn_get_buf(args[0], "input", MN_U32, n, false);
    uint32_t *output = mn_get_buf(args[1], "output", MN_U32, n, true);
    uint32_t *ne = mn_get_buf(args[2], "noise_estimate", MN_U32, n, true);
    uint32_t *state = mn_get_buf(args[3], "state", MN_U32, n, true);
    mn_signal_spectral_subtraction(input, output, ne, state, p);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_signal_spectral_subtraction_obj, 5, 5, mn_py_signal_spectral_subtraction);

// signal_pcan(input, noise_estimate, gain_lut, output, params)
static mp_obj_t mn_py_signal_pcan(size_t n_args, const mp_obj_t *args) {
    (void)n_args;
    const int32_t *p = mn_get_params(args[4], mn_pcan_spec, MN_PCAN_NPARAMS);
    mp_int_t n = mn_buf_count(args[0], "input", MN_U32);
    mp_int_t nl = mn_buf_count(args[2], "gain_lut", MN_I16);
    if (nl < MN_PCAN_LUT_SIZE) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("gain_lut: expected int16 array of at least %d, got %d"),
            MN_PCAN_LUT_SIZE, (int)nl);
    }
    const uint32_t *input = mn_get_buf(args[0], "input", MN_U32, n, false);
    const uint32_t *ne = mn_get_buf(args[1], "noise_estimate", MN_U32, n, false);
    const int16_t *lut = mn_get_buf(args[2], "gain_lut", MN_I16, nl, false);
    uint32_t *output = mn_get_buf(args[3], "output", MN_U32, n, true);
    mn_signal_pcan(input, ne, lut, output, n, p[MN_PCAN_SNR_SHIFT]);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(mn_py_signal_pcan_obj, 5, 5, mn_py_signal_pcan);

// signal_filter_bank_log(input, output, params)
static mp_obj_t mn_py_signal_filter_bank_log(mp_obj_t in_obj, mp_obj_t out_obj, mp_obj_t params_obj) {
    const int32_t *p = mn_get_params(params_obj, mn_fblog_spec, MN_FBLOG_NPARAMS);
    mp_int_t n = mn_buf_count(in_obj, "input", MN_U32);
    const uint32_t *input = mn_get_buf(in_obj, "input", MN_U32, n, false);
    int16_t *output = mn_get_buf(out_obj, "output", MN_I16, n, true);
    mn_signal_filter_bank_log(input, output, n, p[MN_FBLOG_CORRECTION_BITS], p[MN_FBLOG_OUTPUT_SCALE]);
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_3(mn_py_signal_filter_bank_log_obj, mn_py_signal_filter_bank_log);

#endif // MICRONN_OP_SIGNAL
