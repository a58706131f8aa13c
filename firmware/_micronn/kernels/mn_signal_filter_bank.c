// Signal area: SignalEnergy and SignalFilterBank (TFLite Micro signal library, bit-exact).
#include "micronn_config.h"
#if MICRONN_OP_SIGNAL

#include "micronn.h"

void mn_signal_energy_s16(const int16_t *input, uint32_t *output, int32_t bins, int32_t start, int32_t end) {
    for (int32_t i = 0; i < bins; i++) {
        if (i < start || i >= end) {
            output[i] = 0;
            continue;
        }
        int32_t re = input[2 * i], im = input[2 * i + 1];
        // int32 products summed modulo 2^32 (2 * 32768^2 wraps, as in TFLite Micro)
        output[i] = (uint32_t)(re * re) + (uint32_t)(im * im);
    }
}

void mn_signal_filter_bank(const uint32_t *input, const int16_t *weights, const int16_t *unweights,
    const int16_t *freq_starts, const int16_t *weight_starts, const int16_t *widths,
    uint64_t *output, int32_t num_channels) {
    // weight * energy is int16 (sign-extended to uint64) times uint32, modulo 2^64: a 32x32->64
    // multiply added or subtracted by the weight's sign.
    uint64_t acc_w = 0, acc_u = 0;
    for (int32_t c = 0; c <= num_channels; c++) {
        const uint32_t *x = input + freq_starts[c];
        const int16_t *w = weights + weight_starts[c];
        const int16_t *u = unweights + weight_starts[c];
        for (int32_t j = 0; j < widths[c]; j++) {
            uint32_t e = x[j];
            int32_t wj = w[j], uj = u[j];
            if (wj >= 0) {
                acc_w += (uint64_t)(uint32_t)wj * e;
            } else {
                acc_w -= (uint64_t)(uint32_t)(-wj) * e;
            }
            if (uj >= 0) {
                acc_u += (uint64_t)(uint32_t)uj * e;
            } else {
                acc_u -= (uint64_t)(uint32_t)(-uj) * e;
            }
        }
        if (c > 0) {
            output[c - 1] = acc_w;
        }
        acc_w = acc_u;
        acc_u = 0;
    }
}

#endif // MICRONN_OP_SIGNAL
