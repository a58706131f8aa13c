"""Generate small int8 `.tflite` models (bytes) for testing, one operator each.

Models are built with the object API of the flatbuffer schema bindings that ship inside the
`tflite_micro` package (`ModelT`, `SubGraphT`, `TensorT`, `OperatorT`, ...) and serialised with
`flatbuffers.Builder`.

Two layers:

* `ModelBuilder`: add tensors (shape, dtype, quantization, constant data) and operators, then
  `finish()` to bytes.
* generators (`fully_connected`, `conv_2d`, `depthwise_conv_2d`, `average_pool_2d`, `max_pool_2d`,
  `add`, `reshape`, `softmax`, `quantize`, `dequantize`): each takes an `np.random.Generator` and
  shape/option parameters and returns the model bytes. Scales are random but chosen from the
  expected accumulator range so that a random int8 input gives outputs that mostly do not saturate.

`read_model(model_bytes)` unpacks a model back into the object API (`ModelT`) and
`tensor_quant(model, index)` / `buffer_array(model, index)` read tensors back.
"""

import math

import flatbuffers
import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

BuiltinOperator = schema.BuiltinOperator
TensorType = schema.TensorType

# int code <- numpy dtype
_TENSOR_TYPES = {
    np.dtype(np.float32): TensorType.FLOAT32,
    np.dtype(np.float16): TensorType.FLOAT16,
    np.dtype(np.float64): TensorType.FLOAT64,
    np.dtype(np.int8): TensorType.INT8,
    np.dtype(np.uint8): TensorType.UINT8,
    np.dtype(np.int16): TensorType.INT16,
    np.dtype(np.uint16): TensorType.UINT16,
    np.dtype(np.int32): TensorType.INT32,
    np.dtype(np.uint32): TensorType.UINT32,
    np.dtype(np.int64): TensorType.INT64,
    np.dtype(np.bool_): TensorType.BOOL,
}
NUMPY_DTYPES = {v: k for k, v in _TENSOR_TYPES.items()}

ACTIVATIONS = {
    "NONE": schema.ActivationFunctionType.NONE,
    "RELU": schema.ActivationFunctionType.RELU,
    "RELU_N1_TO_1": schema.ActivationFunctionType.RELU_N1_TO_1,
    "RELU6": schema.ActivationFunctionType.RELU6,
}
ACTIVATION_NAMES = {v: k for k, v in ACTIVATIONS.items()}

PADDINGS = {"SAME": schema.Padding.SAME, "VALID": schema.Padding.VALID}

# Builtin codes above this value are stored in OperatorCode.builtin_code only; the deprecated
# int8 field then holds this placeholder.
_PLACEHOLDER_FOR_GREATER_OP_CODES = 127

# Buffer data alignment, as the TFLite converter does (force_align: 16 in the schema).
BUFFER_ALIGNMENT = 16


def tensor_type(dtype):
    """numpy dtype (or TensorType int) -> TensorType int."""
    if isinstance(dtype, (int, np.integer)) and not isinstance(dtype, bool):
        return int(dtype)
    return _TENSOR_TYPES[np.dtype(dtype)]


def builtin_code(op):
    """'FULLY_CONNECTED' or BuiltinOperator int -> int."""
    if isinstance(op, str):
        return getattr(BuiltinOperator, op)
    return int(op)


def builtin_name(code):
    for name, value in vars(BuiltinOperator).items():
        if value == code and not name.startswith("_"):
            return name
    return str(code)


def activation_code(activation):
    if activation is None:
        return ACTIVATIONS["NONE"]
    if isinstance(activation, str):
        return ACTIVATIONS[activation.upper()]
    return int(activation)


class _AlignedBufferT(schema.BufferT):
    """BufferT whose data vector starts on a BUFFER_ALIGNMENT boundary."""

    def Pack(self, builder):
        data = None
        if self.data is not None:
            payload = np.ascontiguousarray(self.data).view(np.uint8).reshape(-1).tobytes()
            builder.StartVector(1, len(payload), BUFFER_ALIGNMENT)
            builder.head = builder.head - len(payload)
            builder.Bytes[builder.head:builder.head + len(payload)] = payload
            data = builder.EndVector()
        schema.BufferStart(builder)
        if data is not None:
            schema.BufferAddData(builder, data)
        schema.BufferAddOffset(builder, self.offset)
        schema.BufferAddSize(builder, self.size)
        return schema.BufferEnd(builder)


class ModelBuilder:
    """Assemble a one-subgraph TFLite model with the schema object API."""

    def __init__(self, description="micronn modelgen"):
        self.description = description
        self.tensors = []
        self.buffers = [schema.BufferT()]  # buffer 0: the required empty buffer
        self.operator_codes = []
        self._opcode_index = {}
        self.operators = []
        self.inputs = []
        self.outputs = []

    def add_tensor(self, name, shape, dtype, scale=None, zero_point=None, quantized_dimension=0,
                   data=None, is_variable=False):
        """Add a tensor; returns its index.

        scale/zero_point: scalar or sequence (per-axis along quantized_dimension); None = no
        quantization. data: constant contents (converted to dtype), stored in its own buffer.
        """
        t = schema.TensorT()
        t.name = name
        t.shape = [int(d) for d in shape]
        t.type = tensor_type(dtype)
        t.isVariable = bool(is_variable)
        if scale is not None:
            q = schema.QuantizationParametersT()
            scales = np.atleast_1d(np.asarray(scale, dtype=np.float32))
            if zero_point is None:
                zero_point = 0
            zps = np.atleast_1d(np.asarray(zero_point, dtype=np.int64))
            if zps.size == 1 and scales.size > 1:
                zps = np.repeat(zps, scales.size)
            q.scale = [float(s) for s in scales]
            q.zeroPoint = [int(z) for z in zps]
            q.quantizedDimension = int(quantized_dimension)
            t.quantization = q
        if data is not None:
            arr = np.asarray(data, dtype=NUMPY_DTYPES[t.type])
            if arr.size != int(np.prod(t.shape, dtype=np.int64)):
                raise ValueError("tensor %r: %d values for shape %r" % (name, arr.size, t.shape))
            buf = _AlignedBufferT()
            buf.data = np.ascontiguousarray(arr.astype(arr.dtype.newbyteorder("<"))).reshape(-1)
            self.buffers.append(buf)
            t.buffer = len(self.buffers) - 1
        else:
            t.buffer = 0
        self.tensors.append(t)
        return len(self.tensors) - 1

    def add_input(self, *args, **kwargs):
        """add_tensor + mark it as a subgraph input."""
        i = self.add_tensor(*args, **kwargs)
        self.inputs.append(i)
        return i

    def add_output(self, *args, **kwargs):
        i = self.add_tensor(*args, **kwargs)
        self.outputs.append(i)
        return i

    def opcode(self, op, version=1):
        code = builtin_code(op)
        key = (code, version)
        if key not in self._opcode_index:
            oc = schema.OperatorCodeT()
            oc.builtinCode = code
            oc.deprecatedBuiltinCode = min(code, _PLACEHOLDER_FOR_GREATER_OP_CODES)
            oc.version = int(version)
            self.operator_codes.append(oc)
            self._opcode_index[key] = len(self.operator_codes) - 1
        return self._opcode_index[key]

    def add_operator(self, op, inputs, outputs, options=None, version=1):
        """op: builtin name or code; inputs: tensor indices (-1 = optional input absent);
        options: a `schema.*OptionsT` instance (its union type is derived from the class name)."""
        o = schema.OperatorT()
        o.opcodeIndex = self.opcode(op, version)
        o.inputs = [int(i) for i in inputs]
        o.outputs = [int(i) for i in outputs]
        if options is not None:
            cls = type(options).__name__
            assert cls.endswith("T"), cls
            o.builtinOptionsType = getattr(schema.BuiltinOptions, cls[:-1])
            o.builtinOptions = options
        else:
            o.builtinOptionsType = schema.BuiltinOptions.NONE
        self.operators.append(o)
        return len(self.operators) - 1

    def model(self):
        sg = schema.SubGraphT()
        sg.tensors = self.tensors
        sg.inputs = list(self.inputs)
        sg.outputs = list(self.outputs)
        sg.operators = self.operators
        sg.name = "main"
        m = schema.ModelT()
        m.version = 3
        m.description = self.description
        m.operatorCodes = self.operator_codes
        m.subgraphs = [sg]
        m.buffers = self.buffers
        return m

    def finish(self):
        builder = flatbuffers.Builder(1024)
        root = self.model().Pack(builder)
        builder.Finish(root, file_identifier=b"TFL3")
        return bytes(builder.Output())


# ---------------------------------------------------------------------------------------------
# Reading models back


def read_model(model_bytes):
    """Model bytes -> schema.ModelT."""
    buf = bytearray(model_bytes)
    return schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(buf, 0))


def opcode_of(model, op):
    oc = model.operatorCodes[op.opcodeIndex]
    return max(oc.builtinCode, oc.deprecatedBuiltinCode)


def tensor_quant(model, index, subgraph=0):
    """-> (scales float32 array, zero_points int64 array, quantized_dimension) or None."""
    t = model.subgraphs[subgraph].tensors[index]
    q = t.quantization
    if q is None or q.scale is None or len(q.scale) == 0:
        return None
    zp = q.zeroPoint if q.zeroPoint is not None and len(q.zeroPoint) else [0]
    return (np.asarray(q.scale, dtype=np.float32), np.asarray(zp, dtype=np.int64),
            int(q.quantizedDimension))


def buffer_array(model, index, subgraph=0):
    """Constant data of tensor `index` as a numpy array of its dtype and shape (None if none)."""
    t = model.subgraphs[subgraph].tensors[index]
    if t.buffer == 0:
        return None
    data = model.buffers[t.buffer].data
    if data is None or len(data) == 0:
        return None
    raw = np.asarray(data, dtype=np.uint8).tobytes()
    dtype = NUMPY_DTYPES[t.type].newbyteorder("<")
    return np.frombuffer(raw, dtype=dtype).astype(NUMPY_DTYPES[t.type]).reshape(list(t.shape))


# ---------------------------------------------------------------------------------------------
# Random quantization parameters

# Moments of a uniform int8 value in [-128, 127] and of a symmetric int8 weight in [-127, 127].
_X_VAR = (256.0 ** 2 - 1) / 12.0
_X_MEAN = -0.5
_W_SQ = 127.0 * 128.0 / 3.0  # E[w^2], w uniform in [-127, 127]


def _log_uniform(rng, lo, hi, size=None):
    return np.float32(np.exp(rng.uniform(math.log(lo), math.log(hi), size)))


def _f32(x):
    return np.asarray(x, dtype=np.float32)


def _random_zero_point(rng, lo=-64, hi=64):
    return int(rng.integers(lo, hi + 1))


def _output_quant(rng, real_std, activation="NONE", spread=3.0, output_scale=None,
                  output_zero_point=None):
    """Output scale so that +-spread std of the real output spans the int8 range."""
    if output_scale is None:
        output_scale = _f32(max(real_std, 1e-12) * 2.0 * spread / 256.0)
    if output_zero_point is None:
        if activation in ("RELU", "RELU6"):
            output_zero_point = _random_zero_point(rng, -128, -60)
        else:
            output_zero_point = _random_zero_point(rng)
    return np.float32(output_scale), int(output_zero_point)


def _relu6_rescale(w_s, real_std, activation, weight_scale, output_scale):
    """For RELU6, rescale random weight scales so the real output spreads over ~[-6, 6] and the
    clamp at 6 is exercised."""
    if activation != "RELU6" or weight_scale is not None or output_scale is not None:
        return w_s, real_std
    f = 2.0 / max(real_std, 1e-30)
    return (w_s * f).astype(np.float32), 2.0


def _acc_std(n_terms, input_zero_point, bias_std=0.0):
    ex2 = _X_VAR + (_X_MEAN - input_zero_point) ** 2
    return math.sqrt(n_terms * ex2 * _W_SQ + bias_std ** 2)


def _weights(rng, shape):
    return rng.integers(-127, 128, size=shape, dtype=np.int64).astype(np.int8)


def _bias(rng, n, n_terms, input_zero_point):
    """int32 bias of the same order as the accumulator's spread."""
    std = _acc_std(n_terms, input_zero_point)
    return np.clip(np.round(rng.normal(0.0, 0.5 * std, size=n)), -(2 ** 31), 2 ** 31 - 1).astype(np.int32)


def _input_quant(rng, input_scale=None, input_zero_point=None):
    if input_scale is None:
        input_scale = _log_uniform(rng, 1e-3, 0.1)
    if input_zero_point is None:
        input_zero_point = int(rng.integers(-128, 128))
    return np.float32(input_scale), int(input_zero_point)


def _weight_scales(rng, n, per_channel, weight_scale=None):
    if weight_scale is not None:
        return np.atleast_1d(_f32(weight_scale))
    if per_channel:
        return _log_uniform(rng, 2e-4, 2e-2, n)
    return np.atleast_1d(_log_uniform(rng, 2e-4, 2e-2))


# ---------------------------------------------------------------------------------------------
# Generators


def fully_connected(rng, batches, in_features, out_features, per_channel=False, bias=True,
                    activation="NONE", input_scale=None, input_zero_point=None,
                    weight_scale=None, output_scale=None, output_zero_point=None,
                    weights=None, bias_data=None, keep_num_dims=False, input_shape=None):
    """int8 FULLY_CONNECTED: input (batches, in) x weights (out, in) [+ int32 bias] -> (batches, out).

    Weights int8 symmetric (zero point 0), per-tensor or per-channel (quantized_dimension 0, one
    scale per output feature). Bias int32, scale input_scale * weight_scale (per channel), zero
    point 0. input_shape: an alternative input shape with batches*in_features elements.
    """
    in_s, in_zp = _input_quant(rng, input_scale, input_zero_point)
    w_s = _weight_scales(rng, out_features, per_channel, weight_scale)
    if weights is None:
        weights = _weights(rng, (out_features, in_features))
    weights = np.asarray(weights, dtype=np.int8).reshape(out_features, in_features)
    if bias and bias_data is None:
        bias_data = _bias(rng, out_features, in_features, in_zp)
    real_std = _acc_std(in_features, in_zp) * float(in_s) * float(np.median(w_s))
    w_s, real_std = _relu6_rescale(w_s, real_std, activation, weight_scale, output_scale)
    out_s, out_zp = _output_quant(rng, real_std, activation, output_scale=output_scale,
                                  output_zero_point=output_zero_point)

    b = ModelBuilder("micronn modelgen fully_connected")
    x = b.add_input("input", input_shape or (batches, in_features), np.int8, in_s, in_zp)
    w = b.add_tensor("weights", (out_features, in_features), np.int8, w_s, 0,
                     quantized_dimension=0, data=weights)
    op_inputs = [x, w]
    if bias:
        bias_scale = (in_s * w_s).astype(np.float32)  # float32 product, as converters store it
        bt = b.add_tensor("bias", (out_features,), np.int32, bias_scale, 0, quantized_dimension=0,
                          data=bias_data)
        op_inputs.append(bt)
    else:
        op_inputs.append(-1)
    out_shape = (batches, out_features)
    if keep_num_dims and input_shape is not None:
        out_shape = tuple(input_shape[:-1]) + (out_features,)
    y = b.add_output("output", out_shape, np.int8, out_s, out_zp)
    opts = schema.FullyConnectedOptionsT()
    opts.fusedActivationFunction = activation_code(activation)
    opts.keepNumDims = bool(keep_num_dims)
    b.add_operator("FULLY_CONNECTED", op_inputs, [y], opts,
                   version=(7 if per_channel else 4))
    return b.finish()


def _out_size(size, k, stride, dilation, padding):
    eff = (k - 1) * dilation + 1
    if padding == "SAME":
        return (size + stride - 1) // stride
    if padding == "VALID":
        return (size - eff + stride) // stride
    raise ValueError(padding)


def conv_2d(rng, batches=1, height=8, width=8, in_channels=3, out_channels=4, kernel=(3, 3),
            strides=(1, 1), dilation=(1, 1), padding="SAME", activation="NONE", per_channel=True,
            bias=True, input_scale=None, input_zero_point=None, weight_scale=None,
            output_scale=None, output_zero_point=None):
    """int8 CONV_2D, NHWC input, filter (out, kh, kw, in), per-channel weights along dim 0."""
    kh, kw = kernel
    return _conv_model(rng, "CONV_2D", schema.Conv2DOptionsT(), (out_channels, kh, kw, in_channels), 0,
                       kh * kw * in_channels, batches, height, width, in_channels, out_channels,
                       kernel, strides, dilation, padding, activation, per_channel, bias, input_scale,
                       input_zero_point, weight_scale, output_scale, output_zero_point)


def depthwise_conv_2d(rng, batches=1, height=8, width=8, in_channels=3, depth_multiplier=1,
                      kernel=(3, 3), strides=(1, 1), dilation=(1, 1), padding="SAME",
                      activation="NONE", per_channel=True, bias=True, input_scale=None,
                      input_zero_point=None, weight_scale=None, output_scale=None,
                      output_zero_point=None):
    """int8 DEPTHWISE_CONV_2D, filter (1, kh, kw, in*mult), per-channel weights along dim 3."""
    kh, kw = kernel
    oc = in_channels * depth_multiplier
    opts = schema.DepthwiseConv2DOptionsT()
    opts.depthMultiplier = depth_multiplier
    return _conv_model(rng, "DEPTHWISE_CONV_2D", opts, (1, kh, kw, oc), 3, kh * kw, batches, height,
                       width, in_channels, oc, kernel, strides, dilation, padding, activation,
                       per_channel, bias, input_scale, input_zero_point, weight_scale, output_scale,
                       output_zero_point)


def _conv_model(rng, op, opts, w_shape, w_dim, n_terms, batches, height, width, in_channels, oc,
                kernel, strides, dilation, padding, activation, per_channel, bias, input_scale,
                input_zero_point, weight_scale, output_scale, output_zero_point):
    """CONV_2D / DEPTHWISE_CONV_2D: filter of w_shape with per-channel scales along w_dim, oc
    output channels, n_terms products per output; opts: the op's options (op-specific fields
    set), completed here."""
    kh, kw = kernel
    sh, sw = strides
    dh, dw = dilation
    oh = _out_size(height, kh, sh, dh, padding)
    ow = _out_size(width, kw, sw, dw, padding)
    if oh <= 0 or ow <= 0:
        raise ValueError("empty output")
    in_s, in_zp = _input_quant(rng, input_scale, input_zero_point)
    w_s = _weight_scales(rng, oc, per_channel, weight_scale)
    weights = _weights(rng, w_shape)
    real_std = _acc_std(n_terms, in_zp) * float(in_s) * float(np.median(w_s))
    w_s, real_std = _relu6_rescale(w_s, real_std, activation, weight_scale, output_scale)
    out_s, out_zp = _output_quant(rng, real_std, activation, output_scale=output_scale,
                                  output_zero_point=output_zero_point)

    b = ModelBuilder("micronn modelgen " + op.lower())
    x = b.add_input("input", (batches, height, width, in_channels), np.int8, in_s, in_zp)
    w = b.add_tensor("filter", weights.shape, np.int8, w_s, 0, quantized_dimension=w_dim, data=weights)
    ins = [x, w]
    if bias:
        bt = b.add_tensor("bias", (oc,), np.int32, (in_s * w_s).astype(np.float32), 0,
                          quantized_dimension=0, data=_bias(rng, oc, n_terms, in_zp))
        ins.append(bt)
    else:
        ins.append(-1)
    y = b.add_output("output", (batches, oh, ow, oc), np.int8, out_s, out_zp)
    opts.padding = PADDINGS[padding]
    opts.strideH, opts.strideW = sh, sw
    opts.dilationHFactor, opts.dilationWFactor = dh, dw
    opts.fusedActivationFunction = activation_code(activation)
    b.add_operator(op, ins, [y], opts, version=3)
    return b.finish()


def _pool(op, rng, batches, height, width, channels, filter_size, strides, padding, activation,
          input_scale, input_zero_point):
    fh, fw = filter_size
    sh, sw = strides
    oh = _out_size(height, fh, sh, 1, padding)
    ow = _out_size(width, fw, sw, 1, padding)
    if oh <= 0 or ow <= 0:
        raise ValueError("empty output")
    s, zp = _input_quant(rng, input_scale, input_zero_point)
    b = ModelBuilder("micronn modelgen " + op.lower())
    x = b.add_input("input", (batches, height, width, channels), np.int8, s, zp)
    # Pooling keeps the input's quantization (TFLite requires equal in/out params).
    y = b.add_output("output", (batches, oh, ow, channels), np.int8, s, zp)
    opts = schema.Pool2DOptionsT()
    opts.padding = PADDINGS[padding]
    opts.strideH, opts.strideW = sh, sw
    opts.filterHeight, opts.filterWidth = fh, fw
    opts.fusedActivationFunction = activation_code(activation)
    b.add_operator(op, [x], [y], opts, version=2)
    return b.finish()


def average_pool_2d(rng, batches=1, height=8, width=8, channels=4, filter_size=(2, 2),
                    strides=(2, 2), padding="VALID", activation="NONE", input_scale=None,
                    input_zero_point=None):
    return _pool("AVERAGE_POOL_2D", rng, batches, height, width, channels, filter_size, strides,
                 padding, activation, input_scale, input_zero_point)


def max_pool_2d(rng, batches=1, height=8, width=8, channels=4, filter_size=(2, 2),
                strides=(2, 2), padding="VALID", activation="NONE", input_scale=None,
                input_zero_point=None):
    return _pool("MAX_POOL_2D", rng, batches, height, width, channels, filter_size, strides,
                 padding, activation, input_scale, input_zero_point)


def add(rng, shape1=(1, 4, 4, 8), shape2=None, activation="NONE", input1_scale=None,
        input1_zero_point=None, input2_scale=None, input2_zero_point=None, output_scale=None,
        output_zero_point=None):
    """int8 ADD of two inputs (numpy broadcasting of shape1 and shape2)."""
    if shape2 is None:
        shape2 = shape1
    out_shape = np.broadcast_shapes(tuple(shape1), tuple(shape2))
    s1, z1 = _input_quant(rng, input1_scale, input1_zero_point)
    s2, z2 = _input_quant(rng, input2_scale, input2_zero_point)
    # real std of a uniform int8 input is ~74 * scale; the sum's std, spread 3 -> int8 range
    std1 = float(s1) * math.sqrt(_X_VAR + (_X_MEAN - z1) ** 2)
    std2 = float(s2) * math.sqrt(_X_VAR + (_X_MEAN - z2) ** 2)
    out_s, out_zp = _output_quant(rng, math.sqrt(std1 ** 2 + std2 ** 2), activation,
                                  output_scale=output_scale, output_zero_point=output_zero_point)
    b = ModelBuilder("micronn modelgen add")
    x1 = b.add_input("input1", shape1, np.int8, s1, z1)
    x2 = b.add_input("input2", shape2, np.int8, s2, z2)
    y = b.add_output("output", out_shape, np.int8, out_s, out_zp)
    opts = schema.AddOptionsT()
    opts.fusedActivationFunction = activation_code(activation)
    b.add_operator("ADD", [x1, x2], [y], opts, version=2)
    return b.finish()


def reshape(rng, in_shape=(1, 2, 3, 4), out_shape=(1, 24), shape_tensor=True, options=True,
            dtype=np.int8):
    """RESHAPE with the new shape as a constant int32 input tensor and/or in the options."""
    s, zp = _input_quant(rng)
    quant = {} if np.dtype(dtype).kind == "f" else {"scale": s, "zero_point": zp}
    b = ModelBuilder("micronn modelgen reshape")
    x = b.add_input("input", in_shape, dtype, **quant)
    ins = [x]
    if shape_tensor:
        ins.append(b.add_tensor("shape", (len(out_shape),), np.int32, data=list(out_shape)))
    y = b.add_output("output", out_shape, dtype, **quant)
    opts = None
    if options:
        opts = schema.ReshapeOptionsT()
        opts.newShape = [int(d) for d in out_shape]
    b.add_operator("RESHAPE", ins, [y], opts, version=1)
    return b.finish()


def softmax(rng, shape=(1, 10), beta=1.0, output_dtype=np.int8, input_scale=None,
            input_zero_point=None):
    """int8 SOFTMAX over the last axis. Output int8 (scale 1/256, zp -128) or int16
    (scale 1/65536, zp -32768), the parameters TFLM requires."""
    if input_scale is None:
        input_scale = _log_uniform(rng, 0.01, 0.05)
    s, zp = _input_quant(rng, input_scale, input_zero_point)
    if np.dtype(output_dtype) == np.int8:
        out_s, out_zp = np.float32(1.0 / 256.0), -128
    elif np.dtype(output_dtype) == np.int16:
        out_s, out_zp = np.float32(1.0 / 65536.0), -32768
    else:
        raise ValueError(output_dtype)
    b = ModelBuilder("micronn modelgen softmax")
    x = b.add_input("input", shape, np.int8, s, zp)
    y = b.add_output("output", shape, output_dtype, out_s, out_zp)
    opts = schema.SoftmaxOptionsT()
    opts.beta = float(beta)
    b.add_operator("SOFTMAX", [x], [y], opts, version=2)
    return b.finish()


def quantize(rng, shape=(1, 16), input_dtype=np.float32, output_dtype=np.int8, input_scale=None,
             input_zero_point=None, output_scale=None, output_zero_point=None):
    """QUANTIZE: float32 -> int8 (default), or requantize between integer types.

    Default scales fit random_input(): floats in [-4, 4), integer inputs over their full range."""
    b = ModelBuilder("micronn modelgen quantize")
    out_info = np.iinfo(np.dtype(output_dtype))
    out_levels = float(out_info.max) - float(out_info.min)
    if np.dtype(input_dtype).kind == "f":
        x = b.add_input("input", shape, input_dtype)
        if output_scale is None:
            output_scale = np.float32(8.0 / out_levels * rng.uniform(1.0, 1.3))
        center = 0.0
    else:
        s, zp = _input_quant(rng, input_scale, input_zero_point)
        in_info = np.iinfo(np.dtype(input_dtype))
        if np.dtype(input_dtype) != np.int8 and input_zero_point is None:
            zp = 0
        x = b.add_input("input", shape, input_dtype, s, zp)
        in_levels = float(in_info.max) - float(in_info.min)
        if output_scale is None:
            output_scale = np.float32(s * in_levels / out_levels * rng.uniform(1.0, 1.5))
        center = ((float(in_info.max) + float(in_info.min)) / 2.0 - zp) * float(s)
    if output_zero_point is None:
        mid = (float(out_info.max) + float(out_info.min)) / 2.0
        output_zero_point = int(np.clip(round(mid - center / float(output_scale))
                                        + rng.integers(-8, 9), out_info.min, out_info.max))
    y = b.add_output("output", shape, output_dtype, np.float32(output_scale),
                     int(output_zero_point))
    b.add_operator("QUANTIZE", [x], [y], schema.QuantizeOptionsT(), version=1)
    return b.finish()


def dequantize(rng, shape=(1, 16), input_dtype=np.int8, input_scale=None,
               input_zero_point=None):
    """DEQUANTIZE: int8 (default) -> float32."""
    s, zp = _input_quant(rng, input_scale, input_zero_point)
    b = ModelBuilder("micronn modelgen dequantize")
    x = b.add_input("input", shape, input_dtype, s, zp)
    y = b.add_output("output", shape, np.float32)
    b.add_operator("DEQUANTIZE", [x], [y], schema.DequantizeOptionsT(), version=2)
    return b.finish()


def random_input(rng, shape, dtype=np.int8):
    """A uniform random input of the given dtype (floats in [-4, 4))."""
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return rng.uniform(-4.0, 4.0, size=shape).astype(dt)
    info = np.iinfo(dt)
    return rng.integers(info.min, int(info.max) + 1, size=shape, dtype=np.int64).astype(dt)


# ---------------------------------------------------------------------------------------------
# Activations, Python (CUSTOM) ops, detection post-process (added by the activations/detection
# work; the generators above are unchanged).

_ACT_REAL = {
    "LOGISTIC": lambda x, a: 1.0 / (1.0 + np.exp(-x)),
    "TANH": lambda x, a: np.tanh(x),
    "HARD_SWISH": lambda x, a: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "LEAKY_RELU": lambda x, a: np.where(x >= 0, x, a * x),
    "RELU": lambda x, a: np.maximum(x, 0.0),
    "RELU6": lambda x, a: np.clip(x, 0.0, 6.0),
    "ELU": lambda x, a: np.where(x < 0, np.expm1(np.minimum(x, 0.0)), x),
    "GELU": lambda x, a: 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x ** 3))),
}


def activation(rng, op, shape=(1, 64), input_scale=None, input_zero_point=None,
               output_scale=None, output_zero_point=None, alpha=0.2, approximate=False):
    """A single int8 activation op: LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU, RELU, RELU6, ELU, GELU.

    LOGISTIC/TANH outputs have TFLite's fixed quantization (1/256, -128) / (1/128, 0); RELU6
    keeps the input's quantization (as converters emit it); the others get an output scale
    and zero point that cover the op's real output range over the int8 input range.
    """
    op = op.upper()
    if op == "RELU6" and input_scale is None:  # 6.0 must quantize inside int8 (TFLM checks)
        if input_zero_point is None:
            input_zero_point = int(rng.integers(-128, -40))
        input_scale = 6.0 / (127 - input_zero_point) * rng.uniform(1.02, 1.8)
    if input_scale is None:
        input_scale = _log_uniform(rng, 0.005, 0.1)
    s, zp = _input_quant(rng, input_scale, input_zero_point)
    if op == "LOGISTIC":
        out_s, out_zp = np.float32(1.0 / 256.0), -128
    elif op == "TANH":
        out_s, out_zp = np.float32(1.0 / 128.0), 0
    elif op == "RELU6":
        out_s, out_zp = s, zp
    else:
        x = (np.arange(-128, 128) - zp) * float(s)
        y = _ACT_REAL[op](x, alpha)
        lo, hi = min(float(y.min()), 0.0), max(float(y.max()), 1e-3)
        out_s = np.float32((hi - lo) / 255.0 * rng.uniform(0.9, 1.2))
        out_zp = int(np.clip(-128 - round(lo / float(out_s)), -128, 127))
    if output_scale is not None:
        out_s = np.float32(output_scale)
    if output_zero_point is not None:
        out_zp = int(output_zero_point)
    b = ModelBuilder("micronn modelgen " + op.lower())
    xi = b.add_input("input", shape, np.int8, s, zp)
    yi = b.add_output("output", shape, np.int8, out_s, out_zp)
    opts = None
    if op == "LEAKY_RELU":
        opts = schema.LeakyReluOptionsT()
        opts.alpha = float(alpha)
    elif op == "GELU":
        opts = schema.GeluOptionsT()
        opts.approximate = bool(approximate)
    elif op == "HARD_SWISH":
        opts = schema.HardSwishOptionsT()
    b.add_operator(op, [xi], [yi], opts, version=2 if op in ("LOGISTIC", "TANH", "RELU", "RELU6") else 1)
    return b.finish()


def prelu(rng, shape=(1, 4, 4, 8), alpha_shape=(8,), input_scale=None, input_zero_point=None,
          alpha_scale=None, alpha_zero_point=None, output_scale=None, output_zero_point=None,
          alpha_data=None):
    """int8 PRELU: input (shape) and a constant int8 alpha broadcast against it."""
    s, zp = _input_quant(rng, input_scale, input_zero_point)
    a_s = np.float32(alpha_scale if alpha_scale is not None else _log_uniform(rng, 0.002, 0.01))
    a_zp = int(alpha_zero_point if alpha_zero_point is not None else rng.integers(-20, 21))
    if alpha_data is None:
        alpha_data = rng.integers(-128, 128, size=alpha_shape)
    x = (np.arange(-128, 128) - zp) * float(s)
    a = (np.asarray(alpha_data, np.int64) - a_zp) * float(a_s)
    lo = min(0.0, float(x.min() * a.max()), float(x.min() * a.min()))
    hi = max(float(x.max()), 1e-3)
    out_s = np.float32(output_scale if output_scale is not None
                       else (hi - lo) / 255.0 * rng.uniform(0.9, 1.2))
    out_zp = int(output_zero_point if output_zero_point is not None
                 else np.clip(-128 - round(lo / float(out_s)), -128, 127))
    b = ModelBuilder("micronn modelgen prelu")
    xi = b.add_input("input", shape, np.int8, s, zp)
    ai = b.add_tensor("alpha", alpha_shape, np.int8, a_s, a_zp, data=alpha_data)
    yi = b.add_output("output", np.broadcast_shapes(tuple(shape), tuple(alpha_shape)), np.int8,
                      out_s, out_zp)
    b.add_operator("PRELU", [xi, ai], [yi], None, version=1)
    return b.finish()


def add_custom_operator(builder, custom_code, inputs, outputs, options=None):
    """Add a CUSTOM op named `custom_code` to a ModelBuilder; options (a dict) become its
    flexbuffer `custom_options`, as the TFLite converter writes them."""
    from flatbuffers import flexbuffers

    oc = schema.OperatorCodeT()
    oc.builtinCode = BuiltinOperator.CUSTOM
    oc.deprecatedBuiltinCode = BuiltinOperator.CUSTOM
    oc.customCode = custom_code
    oc.version = 1
    builder.operator_codes.append(oc)
    o = schema.OperatorT()
    o.opcodeIndex = len(builder.operator_codes) - 1
    o.inputs = [int(i) for i in inputs]
    o.outputs = [int(i) for i in outputs]
    o.builtinOptionsType = schema.BuiltinOptions.NONE
    if options is not None:
        o.customOptions = list(bytes(flexbuffers.Dumps(options)))
        o.customOptionsFormat = schema.CustomOptionsFormat.FLEXBUFFERS
    builder.operators.append(o)
    return len(builder.operators) - 1


def fc_custom_fc(rng, batches=1, in_features=16, hidden=8, out_features=4, custom_code="MyScale",
                 options=None, custom_output_quant=None):
    """FULLY_CONNECTED -> CUSTOM op (int8 in, int8 out, same shape) -> FULLY_CONNECTED.

    The custom op's default options: {"multiplier": 3, "shift": 1, "offset": -5} (a "MyScale"
    op: y = clamp(((x - zp_in) * multiplier >> shift) + offset + zp_out)). Returns model bytes.
    """
    if options is None:
        options = {"multiplier": 3, "shift": 1, "offset": -5}
    in_s, in_zp = _input_quant(rng)
    b = ModelBuilder("micronn modelgen fc_custom_fc")
    x = b.add_input("input", (batches, in_features), np.int8, in_s, in_zp)

    def fc(name, src, src_s, src_zp, n_in, n_out, output=False):
        w_s = _weight_scales(rng, n_out, False, None)
        out_s, out_zp = _output_quant(rng, _acc_std(n_in, src_zp) * float(src_s) * float(w_s[0]))
        w = b.add_tensor(name + "/weights", (n_out, n_in), np.int8, w_s, 0, data=_weights(rng, (n_out, n_in)))
        bias = b.add_tensor(name + "/bias", (n_out,), np.int32, (src_s * w_s).astype(np.float32), 0,
                            data=_bias(rng, n_out, n_in, src_zp))
        add = b.add_output if output else b.add_tensor
        y = add(name + "/out", (batches, n_out), np.int8, out_s, out_zp)
        b.add_operator("FULLY_CONNECTED", [src, w, bias], [y], schema.FullyConnectedOptionsT(), version=4)
        return y, out_s, out_zp

    h, h_s, h_zp = fc("fc1", x, in_s, in_zp, in_features, hidden)
    c_s, c_zp = custom_output_quant or (np.float32(h_s * 2.0), _random_zero_point(rng))
    cy = b.add_tensor("custom/out", (batches, hidden), np.int8, c_s, c_zp)
    add_custom_operator(b, custom_code, [h], [cy], options)
    fc("fc2", cy, c_s, c_zp, hidden, out_features, output=True)
    return b.finish()


def detection_postprocess(rng, num_boxes=24, num_classes=3, background=True,
                          box_dtype=np.float32, score_dtype=np.float32, box_quant=(0.05, 3),
                          score_quant=(1.0 / 256.0, -128), anchor_dtype=np.float32,
                          anchor_quant=(1.0 / 256.0, -128), anchors=None, max_detections=5,
                          max_classes_per_detection=1, detections_per_class=10,
                          use_regular_nms=False, nms_score_threshold=0.3, nms_iou_threshold=0.5,
                          scales=(10.0, 10.0, 5.0, 5.0), box_stride=4, output_rows=None):
    """TFLite_Detection_PostProcess (the SSD custom op): inputs box encodings [1, N, box_stride]
    and class predictions [1, N, C (+1 background)] (float32, int8 or uint8 with the given
    (scale, zero point)), constant anchors [N, 4] (y, x, h, w; float32 or quantized). Outputs
    float32 boxes [1, M, 4], classes [1, M], scores [1, M], num_detections [1], with
    M = max_detections * max_classes_per_detection unless output_rows is given.

    Default anchors sit on a coarse grid with overlapping neighbours, so NMS suppresses."""
    n = int(num_boxes)
    if anchors is None:
        side = int(math.ceil(math.sqrt(n)))
        k = np.arange(n)
        anchors = np.stack([(k // side + 0.5) / side, (k % side + 0.5) / side,
                            rng.uniform(1.2, 2.5, n) / side, rng.uniform(1.2, 2.5, n) / side], 1)
    anchors = np.asarray(anchors, dtype=np.float64).reshape(n, 4)

    def quant(dt, q):
        return {} if np.dtype(dt) == np.float32 else {"scale": np.float32(q[0]), "zero_point": int(q[1])}

    b = ModelBuilder("micronn modelgen detection_postprocess")
    bi = b.add_input("box_encodings", (1, n, box_stride), box_dtype, **quant(box_dtype, box_quant))
    si = b.add_input("class_predictions", (1, n, num_classes + (1 if background else 0)), score_dtype,
                     **quant(score_dtype, score_quant))
    if np.dtype(anchor_dtype) == np.float32:
        ai = b.add_tensor("anchors", (n, 4), np.float32, data=anchors.astype(np.float32))
    else:
        s, zp = anchor_quant
        info = np.iinfo(anchor_dtype)
        qa = np.clip(np.round(anchors / s) + zp, info.min, info.max).astype(anchor_dtype)
        ai = b.add_tensor("anchors", (n, 4), anchor_dtype, np.float32(s), int(zp), data=qa)
    m = output_rows or max_detections * max_classes_per_detection
    outs = [b.add_output("detection_boxes", (1, m, 4), np.float32),
            b.add_output("detection_classes", (1, m), np.float32),
            b.add_output("detection_scores", (1, m), np.float32),
            b.add_output("num_detections", (1,), np.float32)]
    opts = {"max_detections": int(max_detections), "max_classes_per_detection": int(max_classes_per_detection),
            "detections_per_class": int(detections_per_class), "use_regular_nms": bool(use_regular_nms),
            "nms_score_threshold": float(nms_score_threshold), "nms_iou_threshold": float(nms_iou_threshold),
            "num_classes": int(num_classes), "y_scale": float(scales[0]), "x_scale": float(scales[1]),
            "h_scale": float(scales[2]), "w_scale": float(scales[3])}
    add_custom_operator(b, "TFLite_Detection_PostProcess", [bi, si, ai], outs, opts)
    return b.finish()


# ---------------------------------------------------------------------------------------------
# UNIDIRECTIONAL_SEQUENCE_LSTM (added by the recurrent work; the generators above are unchanged).

def lstm(rng, batch=1, time=3, n_input=4, n_cell=5, time_major=False, cell_clip=10.0,
         input_scale=None, input_zero_point=None, hidden_scale=None, hidden_zero_point=None,
         cell_scale=2.0 ** -11, weight_spread=1.0, projection=False, peephole=False,
         variable_state=True, activation="TANH", dtype=np.int8):
    """An int8 UNIDIRECTIONAL_SEQUENCE_LSTM (int16 cell state, int32 biases) as TFLite's
    quantizer emits it (dtype np.int16: 16x8, symmetric int16 activations, int64 biases): 24
    inputs (peephole, projection and layer norm absent), the hidden and cell (int16,
    power-of-two scale) states variable tensors, the output quantized as the hidden state, fused
    activation TANH. Weights per-tensor, random; `weight_spread` scales their real range (large:
    saturating gates). projection / peephole / variable_state=False / another activation make
    the variants TFLite Micro refuses (for the refusal tests)."""
    if np.dtype(dtype) == np.float32:
        return _lstm_f32(rng, batch, time, n_input, n_cell, time_major, cell_clip, weight_spread)
    wide = np.dtype(dtype) == np.int16
    s_in, zp_in = _input_quant(rng, input_scale, input_zero_point)
    s_h = float(np.float32(hidden_scale if hidden_scale is not None else _log_uniform(rng, 0.004, 0.01)))
    zp_h = int(hidden_zero_point if hidden_zero_point is not None else rng.integers(-20, 21))
    if wide:  # int16 activations: symmetric, 256 times finer
        s_in, zp_in, s_h, zp_h = float(np.float32(s_in / 256)), 0, float(np.float32(s_h / 256)), 0
    x_shape = [time, batch, n_input] if time_major else [batch, time, n_input]
    y_shape = [time, batch, n_cell] if time_major else [batch, time, n_cell]
    b = ModelBuilder("micronn modelgen lstm")
    x = b.add_input("input", x_shape, dtype, s_in, zp_in)
    real_x = s_in * math.sqrt(_X_VAR) * (256 if wide else 1)
    ins = [x]
    w_scales = []
    for part, n_terms, real in (("x", n_input, real_x), ("h", n_cell, 0.5)):
        for g in ("input", "forget", "cell", "output"):
            # pre-activations of about +-2 (times weight_spread) at the gate
            ws = float(np.float32(weight_spread * 2.0 / (127.0 * max(real, 1e-3) * math.sqrt(n_terms))))
            shape = (n_cell, n_terms)
            ins.append(b.add_tensor("%s_to_%s_w" % (part, g), shape, np.int8, ws, 0, data=_weights(rng, shape)))
            w_scales.append(ws)
    for k in range(3):
        ins.append(b.add_tensor("peephole%d" % k, (n_cell,), np.int16, 1.0 / 4096, 0,
                                data=np.zeros(n_cell)) if peephole else -1)
    for k, g in enumerate(("input", "forget", "cell", "output")):
        bs = float(np.float32(s_in * w_scales[k]))
        bias = rng.integers(-int(0.5 / bs) - 1, int(0.5 / bs) + 2, size=n_cell)
        ins.append(b.add_tensor("%s_gate_bias" % g, (n_cell,), np.int64 if wide else np.int32, bs, 0, data=bias))
    ins += [b.add_tensor("projection_w", (n_cell, n_cell), np.int8, 0.01, 0, data=_weights(rng, (n_cell, n_cell)))
            if projection else -1, -1]
    ins.append(b.add_tensor("hidden_state", (batch, n_cell), dtype, s_h, zp_h, is_variable=variable_state))
    ins.append(b.add_tensor("cell_state", (batch, n_cell), np.int16, cell_scale, 0, is_variable=variable_state))
    ins += [-1, -1, -1, -1]
    y = b.add_output("output", y_shape, dtype, s_h, zp_h)
    opts = schema.UnidirectionalSequenceLSTMOptionsT()
    opts.fusedActivationFunction = getattr(schema.ActivationFunctionType, activation)
    opts.cellClip = float(cell_clip)
    opts.projClip = 0.0
    opts.timeMajor = bool(time_major)
    b.add_operator("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y], opts)
    return b.finish()


# Models with several subgraphs (control flow, resource variables)


class MultiGraphBuilder:
    """Assemble a TFLite model of several subgraphs: `main` (subgraph 0) and those added with
    `add_subgraph(name)`, each a ModelBuilder sharing the model's buffers and operator codes.
    Control-flow ops name subgraphs by index (`IfOptionsT.thenSubgraphIndex`, ...)."""

    def __init__(self, description="micronn modelgen multi-subgraph"):
        self.main = ModelBuilder(description)
        self.main.name = "main"
        self.graphs = [self.main]

    def add_subgraph(self, name):
        """A new subgraph; returns (its ModelBuilder, its subgraph index)."""
        g = ModelBuilder(self.main.description)
        g.buffers = self.main.buffers
        g.operator_codes = self.main.operator_codes
        g._opcode_index = self.main._opcode_index
        g.name = name
        self.graphs.append(g)
        return g, len(self.graphs) - 1

    def model(self):
        m = self.main.model()
        subgraphs = []
        for g in self.graphs:
            sg = schema.SubGraphT()
            sg.tensors = g.tensors
            sg.inputs = list(g.inputs)
            sg.outputs = list(g.outputs)
            sg.operators = g.operators
            sg.name = g.name
            subgraphs.append(sg)
        m.subgraphs = subgraphs
        return m

    def finish(self):
        builder = flatbuffers.Builder(1024)
        root = self.model().Pack(builder)
        builder.Finish(root, file_identifier=b"TFL3")
        return bytes(builder.Output())


def var_handle(g, name, shared_name, container=""):
    """VAR_HANDLE in subgraph builder `g`: a resource tensor for variable `shared_name`."""
    r = g.add_tensor(name, (), TensorType.RESOURCE)
    opts = schema.VarHandleOptionsT()
    opts.container = container
    opts.sharedName = shared_name
    g.add_operator("VAR_HANDLE", [], [r], opts)
    return r


def call_once(g, init_subgraph):
    opts = schema.CallOnceOptionsT()
    opts.initSubgraphIndex = int(init_subgraph)
    return g.add_operator("CALL_ONCE", [], [], opts)


def if_op(g, cond, inputs, outputs, then_subgraph, else_subgraph):
    opts = schema.IfOptionsT()
    opts.thenSubgraphIndex = int(then_subgraph)
    opts.elseSubgraphIndex = int(else_subgraph)
    return g.add_operator("IF", [cond] + list(inputs), outputs, opts)


def while_op(g, inputs, outputs, cond_subgraph, body_subgraph):
    opts = schema.WhileOptionsT()
    opts.condSubgraphIndex = int(cond_subgraph)
    opts.bodySubgraphIndex = int(body_subgraph)
    return g.add_operator("WHILE", inputs, outputs, opts)


def streaming_counter(shape=(2,), dtype=np.int32, init=(100, 7), scale=0.5, zero_point=0,
                      shared_name="acc"):
    """A streaming accumulator: out = state + x, state = out, kept across invokes in resource
    variable `shared_name` (VAR_HANDLE, READ_VARIABLE, ADD, ASSIGN_VARIABLE). init: the values
    a CALL_ONCE init subgraph assigns on the first invoke (None: no CALL_ONCE; the variable
    then starts at its reset value, int8: the zero point). int8: quantized (scale, zero_point)."""
    q = (scale, zero_point) if np.dtype(dtype) == np.int8 else (None, None)
    b = MultiGraphBuilder("micronn modelgen streaming_counter")
    g = b.main
    if init is not None:
        ini, ini_i = b.add_subgraph("init")
        call_once(g, ini_i)
        r0 = var_handle(ini, "handle", shared_name)
        c = ini.add_tensor("init_value", shape, dtype, *q, data=np.resize(np.asarray(init), shape))
        ini.add_operator("ASSIGN_VARIABLE", [r0, c], [])
    x = g.add_input("x", shape, dtype, *q)
    r = var_handle(g, "handle", shared_name)
    v = g.add_tensor("value", shape, dtype, *q)
    g.add_operator("READ_VARIABLE", [r], [v])
    s = g.add_output("sum", shape, dtype, *q)
    g.add_operator("ADD", [v, x], [s], schema.AddOptionsT())
    g.add_operator("ASSIGN_VARIABLE", [r, s], [])
    return b.finish()


def if_select(rng, shape=(1, 7)):
    """IF between two int8 subgraphs: input `cond` (bool [1]) picks then (x + x, ADD) over
    else (x * x, MUL); the main graph adds x to the branch's result."""
    s_x, z_x = _input_quant(rng, 0.05, int(rng.integers(-20, 20)))
    s_t, z_t = np.float32(0.1), int(rng.integers(-10, 10))
    s_e, z_e = np.float32(float(s_x) ** 2 * 128), int(rng.integers(-10, 10))
    s_y, z_y = np.float32(0.15), int(rng.integers(-10, 10))
    b = MultiGraphBuilder("micronn modelgen if_select")
    g = b.main
    then, then_i = b.add_subgraph("then")
    other, else_i = b.add_subgraph("else")
    x = g.add_input("x", shape, np.int8, s_x, z_x)
    cond = g.add_input("cond", (1,), np.bool_)
    branch = g.add_tensor("branch", shape, np.int8, s_t, z_t)
    if_op(g, cond, [x], [branch], then_i, else_i)
    y = g.add_output("y", shape, np.int8, s_y, z_y)
    g.add_operator("ADD", [branch, x], [y], schema.AddOptionsT())
    tx = then.add_input("x", shape, np.int8, s_x, z_x)
    ty = then.add_output("y", shape, np.int8, s_t, z_t)
    then.add_operator("ADD", [tx, tx], [ty], schema.AddOptionsT())
    ex = other.add_input("x", shape, np.int8, s_x, z_x)
    ey = other.add_output("y", shape, np.int8, s_e, z_e)
    other.add_operator("MUL", [ex, ex], [ey], schema.MulOptionsT())
    return b.finish()


def while_sum(shape=(3,)):
    """WHILE summing int32: acc = x added n times (loop-carried i, n, acc, x; cond i < n;
    body i + 1, acc + x, n and x passed through); outputs acc and acc + x."""
    b = MultiGraphBuilder("micronn modelgen while_sum")
    g = b.main
    cond, cond_i = b.add_subgraph("cond")
    body, body_i = b.add_subgraph("body")
    n = g.add_input("n", (1,), np.int32)
    x = g.add_input("x", shape, np.int32)
    i0 = g.add_tensor("i0", (1,), np.int32, data=[0])
    a0 = g.add_tensor("acc0", shape, np.int32, data=np.zeros(shape, np.int32))
    outs = [g.add_tensor(nm, s, np.int32) for nm, s in (("i", (1,)), ("n_out", (1,)), ("acc", shape), ("x_out", shape))]
    while_op(g, [i0, n, a0, x], outs, cond_i, body_i)
    g.outputs.append(outs[2])
    y = g.add_output("acc_plus_x", shape, np.int32)
    g.add_operator("ADD", [outs[2], x], [y], schema.AddOptionsT())
    ci = [cond.add_input(nm, s, np.int32) for nm, s in (("i", (1,)), ("n", (1,)), ("acc", shape), ("x", shape))]
    co = cond.add_output("go_on", (1,), np.bool_)
    cond.add_operator("LESS", [ci[0], ci[1]], [co])
    bi = [body.add_input(nm, s, np.int32) for nm, s in (("i", (1,)), ("n", (1,)), ("acc", shape), ("x", shape))]
    one = body.add_tensor("one", (1,), np.int32, data=[1])
    i1 = body.add_tensor("i_next", (1,), np.int32)
    body.add_operator("ADD", [bi[0], one], [i1], schema.AddOptionsT())
    a1 = body.add_tensor("acc_next", shape, np.int32)
    body.add_operator("ADD", [bi[2], bi[3]], [a1], schema.AddOptionsT())
    body.outputs = [i1, bi[1], a1, bi[3]]
    return b.finish()


def while_if(shape=(4,)):
    """A WHILE whose body runs an IF (nested subgraphs): n iterations over (i, n, k, acc, x);
    the body adds x to acc while i < k and subtracts it after (then: ADD, else: SUB, int32)."""
    b = MultiGraphBuilder("micronn modelgen while_if")
    g = b.main
    cond, cond_i = b.add_subgraph("cond")
    body, body_i = b.add_subgraph("body")
    then, then_i = b.add_subgraph("then")
    other, else_i = b.add_subgraph("else")
    carried = (("i", (1,)), ("n", (1,)), ("k", (1,)), ("acc", shape), ("x", shape))
    n = g.add_input("n", (1,), np.int32)
    k = g.add_input("k", (1,), np.int32)
    x = g.add_input("x", shape, np.int32)
    i0 = g.add_tensor("i0", (1,), np.int32, data=[0])
    a0 = g.add_tensor("acc0", shape, np.int32, data=np.full(shape, 7, np.int32))
    outs = [g.add_tensor(nm + "_out", s, np.int32) for nm, s in carried]
    while_op(g, [i0, n, k, a0, x], outs, cond_i, body_i)
    g.outputs.append(outs[3])
    ci = [cond.add_input(nm, s, np.int32) for nm, s in carried]
    co = cond.add_output("go_on", (1,), np.bool_)
    cond.add_operator("LESS", [ci[0], ci[1]], [co], schema.LessOptionsT())
    bi = [body.add_input(nm, s, np.int32) for nm, s in carried]
    one = body.add_tensor("one", (1,), np.int32, data=[1])
    i1 = body.add_tensor("i_next", (1,), np.int32)
    body.add_operator("ADD", [bi[0], one], [i1], schema.AddOptionsT())
    up = body.add_tensor("up", (1,), np.bool_)
    body.add_operator("LESS", [bi[0], bi[2]], [up], schema.LessOptionsT())
    a1 = body.add_tensor("acc_next", shape, np.int32)
    if_op(body, up, [bi[3], bi[4]], [a1], then_i, else_i)
    body.outputs = [i1, bi[1], bi[2], a1, bi[4]]
    for sg, op, opts in ((then, "ADD", schema.AddOptionsT()), (other, "SUB", schema.SubOptionsT())):
        p = sg.add_input("acc", shape, np.int32)
        q = sg.add_input("x", shape, np.int32)
        r = sg.add_output("y", shape, np.int32)
        sg.add_operator(op, [p, q], [r], opts)
    return b.finish()


# int4 packed weights (TFLite INT4 tensors, as TFLite Micro unpacks them)

_W4_SQ = 8.0 * 8.0 / 3.0 + 0.5  # ~E[w^2], w uniform in [-8, 7]


def pack_int4(values):
    """int values in [-8, 7] -> packed bytes (uint8): the whole tensor contiguously, two values
    per byte, the first in the low nibble; an odd count leaves the last high nibble 0."""
    v = np.asarray(values, dtype=np.int64).reshape(-1)
    if v.size and (v.min() < -8 or v.max() > 7):
        raise ValueError("int4 values must be in [-8, 7]")
    nib = (v & 0xF).astype(np.uint8)
    if nib.size % 2:
        nib = np.append(nib, np.uint8(0))
    return (nib[0::2] | (nib[1::2] << 4)).astype(np.uint8)


def unpack_int4(packed, count):
    """packed bytes -> `count` int8 values (low nibble first, sign extended)."""
    b = np.asarray(packed, dtype=np.uint8).reshape(-1)
    lo = ((b & 0xF).astype(np.int16) ^ 8) - 8
    hi = ((b >> 4).astype(np.int16) ^ 8) - 8
    out = np.empty(2 * b.size, dtype=np.int8)
    out[0::2], out[1::2] = lo, hi
    return out[:count]


def add_int4_tensor(b, name, shape, values, scale, zero_point=0, quantized_dimension=0):
    """Add a constant TFLite INT4 tensor of `shape` holding `values` (in [-8, 7]) packed."""
    packed = pack_int4(values)
    if int(np.prod(shape, dtype=np.int64)) != np.asarray(values).size:
        raise ValueError("tensor %r: %d values for shape %r" % (name, np.asarray(values).size, shape))
    i = b.add_tensor(name, (packed.size,), np.uint8, scale, zero_point, quantized_dimension,
                     data=packed)
    b.tensors[i].shape = [int(d) for d in shape]
    b.tensors[i].type = TensorType.INT4
    return i


def fully_connected_int4(rng, batches, in_features, out_features, bias=True, activation="NONE",
                         input_scale=None, input_zero_point=None, weight_scale=None,
                         output_scale=None, output_zero_point=None, weights=None, bias_data=None,
                         per_channel=False):
    """int8 FULLY_CONNECTED with int4 packed weights (out, in), optional int32 bias. Per-tensor
    scale (per_channel=True makes the per-channel model TFLite Micro refuses for int4)."""
    in_s, in_zp = _input_quant(rng, input_scale, input_zero_point)
    w_s = _weight_scales(rng, out_features, per_channel, weight_scale)
    if weights is None:
        weights = rng.integers(-8, 8, size=(out_features, in_features))
    weights = np.asarray(weights, dtype=np.int64).reshape(out_features, in_features)
    ex2 = _X_VAR + (_X_MEAN - in_zp) ** 2
    acc_std = math.sqrt(in_features * ex2 * _W4_SQ)
    if bias and bias_data is None:
        bias_data = np.round(rng.normal(0.0, 0.5 * acc_std, size=out_features)).astype(np.int32)
    real_std = acc_std * float(in_s) * float(w_s[0])
    out_s, out_zp = _output_quant(rng, real_std, activation, output_scale=output_scale,
                                  output_zero_point=output_zero_point)
    b = ModelBuilder("micronn modelgen fully_connected int4")
    x = b.add_input("input", (batches, in_features), np.int8, in_s, in_zp)
    w = add_int4_tensor(b, "weights", (out_features, in_features), weights, w_s, 0)
    op_inputs = [x, w]
    if bias:
        op_inputs.append(b.add_tensor("bias", (out_features,), np.int32, (in_s * w_s).astype(np.float32), 0,
                                      data=bias_data))
    else:
        op_inputs.append(-1)
    y = b.add_output("output", (batches, out_features), np.int8, out_s, out_zp)
    opts = schema.FullyConnectedOptionsT()
    opts.fusedActivationFunction = activation_code(activation)
    b.add_operator("FULLY_CONNECTED", op_inputs, [y], opts, version=4)
    return b.finish()


def _lstm_f32(rng, batch, time, n_input, n_cell, time_major, cell_clip, weight_spread):
    """modelgen.lstm's float32 model: weights and biases N(0, spread / sqrt(terms)), float states."""
    x_shape = [time, batch, n_input] if time_major else [batch, time, n_input]
    y_shape = [time, batch, n_cell] if time_major else [batch, time, n_cell]
    b = ModelBuilder("micronn modelgen lstm float32")
    ins = [b.add_input("input", x_shape, np.float32)]
    for part, n_terms in (("x", n_input), ("h", n_cell)):
        for g in ("input", "forget", "cell", "output"):
            w = rng.normal(0.0, weight_spread / math.sqrt(n_terms), size=(n_cell, n_terms)).astype(np.float32)
            ins.append(b.add_tensor("%s_to_%s_w" % (part, g), w.shape, np.float32, data=w))
    ins += [-1, -1, -1]
    for g in ("input", "forget", "cell", "output"):
        ins.append(b.add_tensor("%s_gate_bias" % g, (n_cell,), np.float32,
                                data=rng.normal(0.0, 0.5, size=n_cell).astype(np.float32)))
    ins += [-1, -1]
    ins.append(b.add_tensor("hidden_state", (batch, n_cell), np.float32, is_variable=True))
    ins.append(b.add_tensor("cell_state", (batch, n_cell), np.float32, is_variable=True))
    ins += [-1, -1, -1, -1]
    y = b.add_output("output", y_shape, np.float32)
    opts = schema.UnidirectionalSequenceLSTMOptionsT()
    opts.fusedActivationFunction = schema.ActivationFunctionType.TANH
    opts.cellClip = float(cell_clip)
    opts.projClip = 0.0
    opts.timeMajor = bool(time_major)
    b.add_operator("UNIDIRECTIONAL_SEQUENCE_LSTM", ins, [y], opts)
    return b.finish()
