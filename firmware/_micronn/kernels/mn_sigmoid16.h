// TFLite Micro's int16 LOGISTIC and TANH on an input already in the table's units (x, after
// the op's input rescale): |x| looked up in the 256-entry sigmoid table (65536 sigmoid(k / 24),
// k < 256, as uint16) with linear interpolation, mirrored for x < 0; output in 2^-15 units.
// Used by the int16 activations (the table from the model) and the LSTM gates (a constant).
#ifndef MN_SIGMOID16_H
#define MN_SIGMOID16_H

#include <stdint.h>

#include "micronn.h"

// sigmoid: table steps of 2^9 units of x
MN_INLINE int16_t mn_sigmoid16_lookup(int32_t x, const uint16_t *t) {
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t k = a >> 9;
    uint32_t r;
    if (k >= 255) {
        r = 0x7FFFu << 10;
    } else {
        const uint32_t lo = t[k], hi = t[k + 1];
        r = (lo << 9) + (a & 0x1FFu) * (hi - lo);
    }
    // sigmoid(-x) = 1 - sigmoid(x); back to 2^-15 units, rounded
    r = x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
    return (int16_t)(r >> 10);
}

// tanh(x) = 2 sigmoid(2x) - 1: table steps of 2^8 units of x
MN_INLINE int16_t mn_tanh16_lookup(int32_t x, const uint16_t *t) {
    const uint32_t a = (uint32_t)(x < 0 ? -x : x);
    const uint32_t k = a >> 8;
    int32_t r;
    if (k >= 255) {
        r = 0xFFFF << 8;
    } else {
        const uint32_t lo = t[k], hi = t[k + 1];
        r = (int32_t)((lo << 8) + (a & 0xFFu) * (hi - lo));
    }
    r = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    return (int16_t)(r >> 8);
}

#endif // MN_SIGMOID16_H
