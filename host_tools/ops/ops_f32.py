"""float32 versions of the int8 layers: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, pools, SOFTMAX, activations, ...

Area NN (micronn_config.h MICRONN_OP_NN), opcodes 340-379 (ops_nn.py has 300-319 and 380-399, ops_conv.py 320-339).
Every kernel follows TFLite Micro's float reference kernel step by step (the same float operations in
the same order, fused multiply-adds off); a fused activation is TFLM's CalculateActivationRange
(`act`: 0 none = [-FLT_MAX, FLT_MAX], 1 RELU = [0, FLT_MAX], 2 RELU_N1_TO_1 = [-1, 1], 3 RELU6 = [0, 6])
applied as min(max(x, lo), hi)."""

from .spec import (  # noqa: F401
    BIG,
    DIM_MAX,
    I32_MAX,
    I32_MIN,
    Field,
    Layout,
    Op,
    Operand,
    Rule,
    act8,
    broadcast_fields,
    fields,
    offset_field,
    params_input,
)

F = Field
T = Operand
P = params_input

_ACT = F("act", 0, 3, "fused activation: 0 none, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6")

# CONV_2D and DEPTHWISE_CONV_2D float32 (NHWC); depth_multiplier is 1 for CONV_2D.
F32CONV = Layout("F32CONV", "F32CONV", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width, channels"), F("in_w", 1, DIM_MAX), F("in_c", 1, DIM_MAX),
    F("out_h", 1, DIM_MAX, "output height, width, channels"), F("out_w", 1, DIM_MAX), F("out_c", 1, DIM_MAX),
    F("k_h", 1, DIM_MAX, "kernel height, width"), F("k_w", 1, DIM_MAX),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("dil_h", 1, 255, "dilation"), F("dil_w", 1, 255),
    F("pad_top", 0, DIM_MAX, "padding before row/column 0"), F("pad_left", 0, DIM_MAX),
    F("depth_multiplier", 1, DIM_MAX, "DEPTHWISE_CONV_2D: out_c = in_c * depth_multiplier (CONV_2D: 1)",
      c="DEPTH_MULT"),
    _ACT], area="NN", doc="CONV_2D / DEPTHWISE_CONV_2D float32")

F32FC = Layout("F32FC", "F32FC", [
    F("batches", 1, BIG, "input rows"), F("in_features", 1, BIG), F("out_features", 1, BIG), _ACT],
    area="NN", doc="FULLY_CONNECTED float32")

F32POOL = Layout("F32POOL", "F32POOL", [
    F("n", 1, DIM_MAX, "batches"),
    F("in_h", 1, DIM_MAX, "input height, width"), F("in_w", 1, DIM_MAX), F("c", 1, DIM_MAX, "channels"),
    F("out_h", 1, DIM_MAX, "output height, width"), F("out_w", 1, DIM_MAX),
    F("k_h", 1, DIM_MAX, "window height, width"), F("k_w", 1, DIM_MAX),
    F("stride_h", 1, 255), F("stride_w", 1, 255),
    F("pad_top", 0, DIM_MAX, "[0, k - 1]; every window must overlap the input"), F("pad_left", 0, DIM_MAX),
    _ACT], area="NN", doc="AVERAGE_POOL_2D / MAX_POOL_2D float32")

# The single-input float32 activations (act_f32), params.op: TFLite Micro's reference float kernels.
# LOGISTIC (and SOFTMAX) use mn_expf, TANH mn_tanhf and ELU mn_expm1f (kernels/mn_libm_f32.c:
# glibc's expf/tanhf/expm1f bits on every board; the boards' own libm differs on some inputs).
ACTF_OPS = ("RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "LOGISTIC", "TANH", "ELU")

F32ACT = Layout("F32ACT", "F32ACT", [
    F("op", 0, len(ACTF_OPS) - 1, " ".join("%d %s" % kv for kv in enumerate(ACTF_OPS))),
    F("alpha", I32_MIN, I32_MAX, "LEAKY_RELU's alpha (float32 bits; else 0)")],
    area="NN", doc="float32 RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH, ELU")

F32PRELU = Layout("F32PRELU", "F32PRELU", broadcast_fields("in_s", "alpha_s", "IN_S", "ALPHA_S"),
                  area="NN", doc="PRELU float32 (4-D broadcasting)")

F32SOFTMAX = Layout("F32SOFTMAX", "F32SOFTMAX", [
    F("rows", 1, BIG), F("depth", 1, BIG, "softmax over the last axis"),
    F("beta", I32_MIN, I32_MAX, "float32 bits")], area="NN", doc="SOFTMAX float32")

LAYOUTS = [F32CONV, F32FC, F32POOL, F32ACT, F32PRELU, F32SOFTMAX]

_NHWC_IN = ("n", "in_h", "in_w", "in_c")
_NHWC_OUT = ("n", "out_h", "out_w", "out_c")
_ACC = ("total = 0.0f; total += x * w in TFLM's loop order (unfused), skipping taps outside the input;\n"
        "output = act(total + bias)")


def _conv(opcode, name, kernel, w_count, ident, doc):
    return Op(opcode, name, kernel, "NN",
              [T("input", "float32", count=_NHWC_IN), T("weights", "float32", count=w_count),
               T("bias", "float32", count=("out_c",)), P(F32CONV)],
              [T("output", "float32", count=_NHWC_OUT)], tflite=[(name, "float32")], ident=ident,
              binding="spec", doc=doc)


def _pool(opcode, name, kernel, ident, doc):
    return Op(opcode, name, kernel, "NN", [T("input", "float32", count=("n", "in_h", "in_w", "c")), P(F32POOL)],
              [T("output", "float32", count=("n", "out_h", "out_w", "c"))], tflite=[(name, "float32")],
              ident=ident, binding="spec", doc=doc)


OPS = [
    _conv(340, "CONV_2D", "conv2d_f32", ("out_c", "k_h", "k_w", "in_c"), "CONV_2D_F32",
          "weights [out_c, k_h, k_w, in_c]; per output (y, x, oc): over fy, fx, ic:\n" + _ACC),
    _conv(341, "DEPTHWISE_CONV_2D", "depthwise_conv2d_f32", ("k_h", "k_w", "out_c"), "DEPTHWISE_CONV_2D_F32",
          "weights [k_h, k_w, out_c], oc = ic * depth_multiplier + m; over fy, fx:\n" + _ACC),
    Op(342, "FULLY_CONNECTED", "fully_connected_f32", "NN",
       [T("input", "float32", count=("batches", "in_features")),
        T("weights", "float32", count=("out_features", "in_features")),
        T("bias", "float32", count=("out_features",)), P(F32FC)],
       [T("output", "float32", count=("batches", "out_features"))], tflite=[("FULLY_CONNECTED", "float32")],
       ident="FULLY_CONNECTED_F32", binding="spec",
       doc="weights [out_features, in_features]: total = 0.0f; total += x[d] * w[d] in order (unfused);\n"
           "output = act(total + bias)"),
    _pool(343, "AVERAGE_POOL_2D", "avg_pool2d_f32", "AVERAGE_POOL_2D_F32",
          "output = act((0.0f + x ...) / count) over each window's part inside the input"),
    _pool(344, "MAX_POOL_2D", "max_pool2d_f32", "MAX_POOL_2D_F32",
          "output = act(max(-FLT_MAX, x ...)) over each window's part inside the input (NaN never wins)"),
]

_ACTF_DOC = {
    "RELU": "x < 0 ? 0 : x",
    "RELU6": "x > 6 ? 6 : x < 0 ? 0 : x",
    "LEAKY_RELU": "x > 0 ? x : x * alpha",
    "HARD_SWISH": "x * min(6, max(0, x + 3)) / 6 (std::min/max)",
    "LOGISTIC": "x > 16.619047f ? 1 : x < -9 ? expf(x) : 1 / (1 + expf(-x)) (glibc's expf)",
    "TANH": "tanhf(x) (glibc's)",
    "ELU": "x < 0 ? expm1f(x) : x (glibc's expm1f)",
}
OPS += [Op(345 + k, name, "act_f32", "NN", [T("input", "float32"), P(F32ACT)], [T("output", "float32")],
           in_place=True, tflite=[(name, "float32")], ident=name + "_F32", binding="spec",
           doc="output = %s (params.op %d)" % (_ACTF_DOC[name], k))
        for k, name in enumerate(ACTF_OPS)]

OPS += [
    Op(352, "PRELU", "prelu_f32", "NN",
       [T("input", "float32", span=("d", "in_s")), T("alpha", "float32", span=("d", "alpha_s")), P(F32PRELU)],
       [T("output", "float32", count=("d0", "d1", "d2", "d3"))], tflite=[("PRELU", "float32")],
       ident="PRELU_F32", binding="spec", doc="output = input >= 0 ? input : input * alpha"),
    Op(353, "SOFTMAX", "softmax_f32", "NN",
       [T("input", "float32", count=("rows", "depth")), P(F32SOFTMAX)],
       [T("output", "float32", count=("rows", "depth"))], tflite=[("SOFTMAX", "float32")],
       ident="SOFTMAX_F32", binding="spec",
       doc="per row: m = max(-FLT_MAX, x...); e = expf((x - m) * beta) (glibc's expf);\n"
           "output = e / (0.0f + e ...)"),
]
