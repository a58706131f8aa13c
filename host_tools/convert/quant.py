"""Quantization arithmetic done on the host (floats allowed), as TFLite Micro's Prepare does it."""


import numpy as np

from ..reference.qmath import _round_half_away, quantize_multiplier


def conv_multipliers(input_scale, weight_scales, output_scale):
    """Per-channel (or per-tensor: one scale) multipliers for CONV/DEPTHWISE/FC.

    TFLite computes input_scale * weight_scale in double for per-channel params
    (PopulateConvolutionQuantizationParams).
    """
    mults, shifts = [], []
    for ws in np.atleast_1d(weight_scales):
        eff = float(np.float32(input_scale)) * float(np.float32(ws)) / float(np.float32(output_scale))
        m, s = quantize_multiplier(eff)
        mults.append(m)
        shifts.append(s)
    return np.array(mults, dtype=np.int32), np.array(shifts, dtype=np.int32)


def fc_multipliers(input_scale, weight_scales, output_scale):
    """FULLY_CONNECTED multipliers, as TFLite Micro's Python interpreter computes them.

    Per-channel (more than one weight scale): CalculateOpDataFullyConnected, double product, the
    same as conv_multipliers. Per-tensor: the TFLM source (GetQuantizedConvolutionMultipler) writes
    the input_scale * weight_scale product in float32, but the `tflite_micro` wheel behaves as if
    it were a double product: on models where the two differ, its outputs match the double
    product and not the float32 one (tests/host/test_fully_connected_tflm.py checks this). So both
    cases use conv_multipliers.
    """
    return conv_multipliers(input_scale, np.atleast_1d(np.asarray(weight_scales, np.float32)),
                            output_scale)


def fc_multipliers_float32_product(input_scale, weight_scale, output_scale):
    """Per-tensor FC multiplier with the float32 product the TFLM source spells out (what a
    TFLM build without excess precision would compute). Not what the reference interpreter does."""
    product = np.float32(input_scale) * np.float32(weight_scale)  # float32 * float32 -> float32
    m, s = quantize_multiplier(float(product) / float(np.float32(output_scale)))
    return np.array([m], dtype=np.int32), np.array([s], dtype=np.int32)


def activation_range(fused, scale, zero_point, qmin=-128, qmax=127):
    """Fused activation -> (act_min, act_max) in the quantized domain (CalculateActivationRangeQuantized).

    As TFLite's Quantize helper: value / scale is a float32 division, rounded half away from zero.
    """

    def q(v):
        return int(zero_point) + int(_round_half_away(float(np.float32(v) / np.float32(scale))))

    if fused in (None, "NONE", 0):
        return qmin, qmax
    if fused in ("RELU", 1):
        return max(qmin, q(0.0)), qmax
    if fused in ("RELU6", 3):
        return max(qmin, q(0.0)), min(qmax, q(6.0))
    if fused in ("RELU_N1_TO_1", 2):
        return max(qmin, q(-1.0)), min(qmax, q(1.0))
    raise ValueError("unsupported fused activation %r" % (fused,))
