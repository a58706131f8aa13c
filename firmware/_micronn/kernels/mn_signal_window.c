// Signal area: SignalWindow and SignalFftAutoScale (TFLite Micro signal library, bit-exact).
#include "micronn_config.h"
#if MICRONN_OP_SIGNAL

#include "micronn.h"

void mn_signal_window_s16(const int16_t *input, const int16_t *window, int16_t *output,
    int32_t rows, int32_t n, int32_t shift) {
    for (int32_t r = 0; r < rows; r++) {
        for (int32_t i = 0; i < n; i++) {
            int32_t v = ((int32_t)input[i] * window[i]) >> shift;
            output[i] = (int16_t)(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
        }
        input += n;
        output += n;
    }
}

int32_t mn_signal_fft_auto_scale_s16(const int16_t *input, int16_t *output, int32_t n) {
    // The running maximum is an int16 as in TFLite Micro: |-32768| wraps to -32768.
    int16_t max = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t v = input[i];
        if (v > max) {
            max = (int16_t)v;
        } else if (-v > max) {
            max = (int16_t)(uint16_t)(-v);
        }
    }
    uint32_t m = (uint32_t)(int32_t)max;
    int32_t msb = m ? 32 - __builtin_clz(m) : 32;
    int32_t bits = 16 - msb - 1;
    if (bits < 0) {
        bits = 0;
    }
    for (int32_t i = 0; i < n; i++) {
        output[i] = (int16_t)(uint16_t)((uint32_t)(int32_t)input[i] << bits);
    }
    return bits;
}

#endif // MICRONN_OP_SIGNAL
