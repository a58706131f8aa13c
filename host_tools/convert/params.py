"""Host side (floats allowed): the params each op's Prepare computes in TFLite Micro, for the
converter. Scales are float32 values in the model; TFLite widens them to double."""

import math

import numpy as np

from ..ops import table
from .quant import activation_range, quantize_multiplier


# ---------------------------------------------------------------------------
# Host side (floats allowed): the params each op's Prepare computes in TFLite Micro, for the
# converter. Scales are float32 values in the model; TFLite widens them to double.
def _f32(x):
    return float(np.float32(x))



def compute_padding(in_size, kernel, stride, dilation, padding):
    """TFLite's ComputeOutSize + ComputePaddingWithOffset: -> (out_size, pad_before).

    The padding after is whatever remains (total - pad_before): SAME pads one more at the end
    when the total is odd.
    """
    eff = (kernel - 1) * dilation + 1
    if padding == "SAME":
        out = (in_size + stride - 1) // stride
    elif padding == "VALID":
        out = in_size + stride - eff
        out = out // stride if out >= 0 else -((-out) // stride)  # C division
    else:
        raise ValueError("padding: expected 'SAME' or 'VALID', got %r" % (padding,))
    if out < 1:
        raise ValueError("padding: %s gives no output for size %d, kernel %d" % (padding, in_size, eff))
    total = max(0, (out - 1) * stride + eff - in_size)
    return out, total // 2



def _broadcast_fields(dims, s1, s2, a, b):
    """The named fields d0.., <a>0.., <b>0.. of a broadcast layout."""
    f = {}
    for k in range(4):
        f["d%d" % k], f["%s%d" % (a, k)], f["%s%d" % (b, k)] = dims[k], s1[k], s2[k]
    return f


def conv2d_params(input_shape, filter_shape, stride_h, stride_w, dil_h, dil_w, padding,
                  input_zero_point, output_zero_point, act_min, act_max):
    """CONV_2D params: input (N, H, W, C), filter (out_c, k_h, k_w, in_c)."""
    n, h, w, c = input_shape
    out_c, k_h, k_w, _ = filter_shape
    oh, pt = compute_padding(h, k_h, stride_h, dil_h, padding)
    ow, pl = compute_padding(w, k_w, stride_w, dil_w, padding)
    return table.CONV.pack(n=n, in_h=h, in_w=w, in_c=c, out_h=oh, out_w=ow, out_c=out_c, k_h=k_h, k_w=k_w,
                           stride_h=stride_h, stride_w=stride_w, dil_h=dil_h, dil_w=dil_w, pad_top=pt,
                           pad_left=pl, input_offset=-int(input_zero_point),
                           output_offset=int(output_zero_point), act_min=act_min, act_max=act_max)



def depthwise_conv2d_params(input_shape, filter_shape, stride_h, stride_w, dil_h, dil_w, padding,
                            input_zero_point, output_zero_point, act_min, act_max):
    """DEPTHWISE_CONV_2D params: input (N, H, W, C), filter (1, k_h, k_w, out_c)."""
    n, h, w, c = input_shape
    _, k_h, k_w, out_c = filter_shape
    if out_c % c:
        raise ValueError("filter: %d output channels for %d input channels" % (out_c, c))
    p = conv2d_params(input_shape, (out_c, k_h, k_w, c), stride_h, stride_w, dil_h, dil_w, padding,
                      input_zero_point, output_zero_point, act_min, act_max)
    return table.DWCONV.pack(**dict(zip(table.CONV.index, p)), depth_multiplier=out_c // c)



def pool2d_params(input_shape, k_h, k_w, stride_h, stride_w, padding, act_min, act_max):
    """AVERAGE_POOL_2D / MAX_POOL_2D params: input (N, H, W, C)."""
    n, h, w, c = input_shape
    oh, pt = compute_padding(h, k_h, stride_h, 1, padding)
    ow, pl = compute_padding(w, k_w, stride_w, 1, padding)
    return table.POOL.pack(n=n, in_h=h, in_w=w, c=c, out_h=oh, out_w=ow, k_h=k_h, k_w=k_w, stride_h=stride_h,
                           stride_w=stride_w, pad_top=pt, pad_left=pl, act_min=act_min, act_max=act_max)



def quantize_multiplier_smaller_than_one_exp(real):
    """TFLite's QuantizeMultiplierSmallerThanOneExp: 0 < real < 1 -> (multiplier, shift <= 0)."""

    if not 0.0 < real < 1.0:
        raise ValueError("multiplier %r not in (0, 1)" % (real,))
    m, s = quantize_multiplier(real)
    if s > 0:
        raise ValueError("multiplier %r gives shift %d > 0" % (real, s))
    return m, s



def add_broadcast(shape1, shape2):
    """4-D broadcast of two shapes (numpy rules, up to 4 dims after dropping leading 1s)
    -> (out_dims, strides1, strides2), element strides 0 on broadcast dims."""
    shapes = []
    for s in (shape1, shape2):
        s = [int(d) for d in s]
        while len(s) > 4 and s[0] == 1:
            s = s[1:]
        if len(s) > 4:
            raise ValueError("add: shapes of more than 4 dims (%r) are not supported" % (shape1,))
        shapes.append([1] * (4 - len(s)) + s)
    out = []
    for a, b in zip(*shapes):
        if a != b and a != 1 and b != 1:
            raise ValueError("add: shapes %r and %r do not broadcast" % (tuple(shape1), tuple(shape2)))
        out.append(max(a, b))
    strides = []
    for s in shapes:
        st, step = [0] * 4, 1
        for i in range(3, -1, -1):
            st[i] = step if s[i] > 1 else 0
            step *= s[i]
        strides.append(st)
    return out, strides[0], strides[1]



def add_params(in1_scale, in1_zp, in2_scale, in2_zp, out_scale, out_zp, act, in1_shape=(1,), in2_shape=(1,)):
    """ADD params as TFLite Micro's CalculateOpDataAdd (int8: left_shift 20).

    act: fused activation ("NONE", "RELU", "RELU6", "RELU_N1_TO_1" or its code), or an
    (act_min, act_max) pair.
    """

    left_shift = 20
    twice_max = 2.0 * max(_f32(in1_scale), _f32(in2_scale))
    m1, s1 = quantize_multiplier_smaller_than_one_exp(_f32(in1_scale) / twice_max)
    m2, s2 = quantize_multiplier_smaller_than_one_exp(_f32(in2_scale) / twice_max)
    mo, so = quantize_multiplier_smaller_than_one_exp(twice_max / ((1 << left_shift) * _f32(out_scale)))
    lo, hi = act if isinstance(act, (tuple, list)) else activation_range(act, out_scale, out_zp)
    dims, st1, st2 = add_broadcast(in1_shape, in2_shape)
    return table.ADD.pack(**_broadcast_fields(dims, st1, st2, "in1_s", "in2_s"), input1_offset=-int(in1_zp),
                          input2_offset=-int(in2_zp), output_offset=int(out_zp), left_shift=left_shift,
                          input1_multiplier=m1, input1_shift=s1, input2_multiplier=m2, input2_shift=s2,
                          output_multiplier=mo, output_shift=so, act_min=lo, act_max=hi)



def softmax_params(rows, depth, input_scale, beta=1.0):
    """SOFTMAX int8 params as TFLite Micro's CalculateSoftmaxParams (PreprocessSoftmaxScaling with
    5 integer bits, CalculateInputRadius)."""

    integer_bits = 5
    real = min(_f32(beta) * _f32(input_scale) * (1 << (31 - integer_bits)), (1 << 31) - 1.0)
    if not real > 1.0:
        raise ValueError("softmax: beta * input_scale * 2^26 = %r must be > 1" % (real,))
    mult, shift = quantize_multiplier(real)
    radius = ((1 << integer_bits) - 1) * (1 << (31 - integer_bits)) / (1 << shift)
    diff_min = -int(math.floor(radius))
    return table.SOFTMAX.pack(rows=rows, depth=depth, input_multiplier=mult, input_left_shift=shift,
                              diff_min=diff_min)



def requantize_params(in_scale, in_zp, out_scale, out_zp):
    """QUANTIZE int8 -> int8 params as TFLite Micro's PrepareQuantizeReference."""

    mult, shift = quantize_multiplier(_f32(in_scale) / _f32(out_scale))
    return table.REQUANT.pack(input_zero_point=in_zp, output_zero_point=out_zp, multiplier=mult, shift=shift)



def prelu_params(input_shape, alpha_shape, input_scale, input_zp, alpha_scale, alpha_zp,
                 output_scale, output_zp):
    """PRELU params as TFLM's CalculatePreluParams (double products and quotients)."""
    dims, s_in, s_alpha = add_broadcast(input_shape, alpha_shape)
    m1, s1 = quantize_multiplier(_f32(input_scale) / _f32(output_scale))
    m2, s2 = quantize_multiplier(_f32(input_scale) * _f32(alpha_scale) / _f32(output_scale))
    return table.PRELU.pack(**_broadcast_fields(dims, s_in, s_alpha, "in_s", "alpha_s"),
                            input_offset=-int(input_zp), alpha_offset=-int(alpha_zp), output_offset=int(output_zp),
                            multiplier_pos=m1, shift_pos=s1, multiplier_neg=m2, shift_neg=s2)

