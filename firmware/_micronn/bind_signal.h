// Bindings of the signal area (bind_signal.c): declarations and globals-table entries.
#ifndef MN_BIND_SIGNAL_H
#define MN_BIND_SIGNAL_H

#include "py/obj.h"

extern const mp_obj_fun_builtin_var_t mn_py_signal_window_s16_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_signal_fft_auto_scale_s16_obj;
extern const mp_obj_fun_builtin_var_t mn_py_signal_rfft_s16_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_signal_energy_s16_obj;
extern const mp_obj_fun_builtin_var_t mn_py_signal_filter_bank_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_signal_filter_bank_sqrt_obj;
extern const mp_obj_fun_builtin_var_t mn_py_signal_spectral_subtraction_obj;
extern const mp_obj_fun_builtin_var_t mn_py_signal_pcan_obj;
extern const mp_obj_fun_builtin_fixed_t mn_py_signal_filter_bank_log_obj;

#define MN_BIND_SIGNAL_ENTRIES \
    { MP_ROM_QSTR(MP_QSTR_signal_window_s16), MP_ROM_PTR(&mn_py_signal_window_s16_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_fft_auto_scale_s16), MP_ROM_PTR(&mn_py_signal_fft_auto_scale_s16_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_rfft_s16), MP_ROM_PTR(&mn_py_signal_rfft_s16_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_energy_s16), MP_ROM_PTR(&mn_py_signal_energy_s16_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_filter_bank), MP_ROM_PTR(&mn_py_signal_filter_bank_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_filter_bank_sqrt), MP_ROM_PTR(&mn_py_signal_filter_bank_sqrt_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_spectral_subtraction), MP_ROM_PTR(&mn_py_signal_spectral_subtraction_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_pcan), MP_ROM_PTR(&mn_py_signal_pcan_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_signal_filter_bank_log), MP_ROM_PTR(&mn_py_signal_filter_bank_log_obj) },

#endif // MN_BIND_SIGNAL_H
