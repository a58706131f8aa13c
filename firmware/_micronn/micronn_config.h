// Which op areas the firmware carries (ulab's pattern). Each flag defaults to 1; a board turns an
// area off with CFLAGS (e.g. MICRONN_CFLAGS += -DMICRONN_OP_SIGNAL=0 in its make rule, or
// target_compile_definitions on CMake ports). An area switched off compiles its binding file
// (bind_<area>.c), its globals-table entries (mn_bind_areas.h) and its kernels to nothing; a model
// that needs one of its ops then fails in load() with "op N: X needs kernel Y, missing in this
// firmware". Tier-1 ops (mod_micronn.c) and the runtime (bind_runtime.c) are always present.
// Flash costs: text of the area's binding file and kernels in the Cortex-M4 firmware (MPS2_AN386,
// arm-none-eabi-gcc 12.2, -Os with -O2 kernels; linker map, as host_tools/device/size.py reads it; no
// data or bss). Not counted: 8 bytes per globals-table entry and the entries' qstrs. All four off:
// micronn's C module 42277 -> 25455 bytes, firmware text 274196 -> 256012 (`make size-tier1`).
#ifndef MICRONN_CONFIG_H
#define MICRONN_CONFIG_H

// LUT activations (lut_s8: LOGISTIC, TANH, ELU, ... as a 256-entry table) and PRELU.
// Flash: 1481 bytes.
#ifndef MICRONN_OP_ACTIVATIONS
#define MICRONN_OP_ACTIVATIONS (1)
#endif

// Audio front end (signal_*: window, RFFT, energy, filter bank, spectral subtraction, PCAN, log).
// Flash: 5461 bytes.
#ifndef MICRONN_OP_SIGNAL
#define MICRONN_OP_SIGNAL (1)
#endif

// TFLite_Detection_PostProcess and the standalone NMS (nms_boxes).
// Flash: 6593 bytes.
#ifndef MICRONN_OP_DETECTION
#define MICRONN_OP_DETECTION (1)
#endif

// CAST, CONCATENATION, STRIDED_SLICE, int32 ADD/SUB/MUL/DIV/MINIMUM/MAXIMUM (binary_s32), QUANTIZE
// between int8, uint8 and int32 (requantize_*) and DEQUANTIZE uint8 (dequantize_u8_f32).
// Flash: 3215 bytes.
#ifndef MICRONN_OP_ELEMENTWISE
#define MICRONN_OP_ELEMENTWISE (1)
#endif

// Shape and data movement: copy_nd, one strided N-D copy with a constant or mirrored border
// (TRANSPOSE, PAD, PADV2, MIRROR_PAD, SLICE, SPLIT, SPLIT_V, UNPACK, REVERSE_V2, DEPTH_TO_SPACE,
// SPACE_TO_DEPTH, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND; PACK runs as CONCATENATION), and the
// indexing ops (ops_index.py: RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR, GATHER, GATHER_ND,
// EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE, BROADCAST_TO, FILL, ZEROS_LIKE, SHAPE, BROADCAST_ARGS).
// Flash: 7807 bytes (copy_nd 2108: mn_copy_nd.c, bind_shape.c; the indexing ops 5699: mn_resize.c,
// mn_index_*.c, bind_index.c, bind_spec_shape.c; M4 object .text of the files, not the linker map).
#ifndef MICRONN_OP_SHAPE
#define MICRONN_OP_SHAPE (1)
#endif

// Elementwise math (SUB int8, float32 ADD/SUB/MUL/DIV/MINIMUM/MAXIMUM/SQUARED_DIFFERENCE/FLOOR_*,
// int8/int64 MINIMUM/MAXIMUM, SQUARED_DIFFERENCE int8/int32, DIV int8), comparisons (EQUAL ...
// LESS_EQUAL: float32, int8, int32, int64, bool), LOGICAL_AND/OR/NOT, SELECT_V2 (float32, int8),
// ADD_N (float32, int8); unary ops (float32 ABS/NEG/CEIL/FLOOR/ROUND/SQRT/RSQRT/SQUARE/EXP/LOG/
// SIN/COS, int8 ABS/RSQRT by table; EXP..COS, LOG_SOFTMAX and the float32 LOGISTIC, TANH, ELU
// share kernels/mn_libm_f32.c, about 3 KB with expm1f/tanhf, compiled when MATH or NN is on).
// Flash: 7990 bytes on M4 (object .text of its kernel files, not the linker map; SUB's share of ADD's file not counted).
#ifndef MICRONN_OP_MATH
#define MICRONN_OP_MATH (1)
#endif

// Other NN layers: reductions (MEAN, SUM, REDUCE_*), ARG_MAX/MIN, CUMSUM, L2_POOL_2D,
// L2_NORMALIZATION (float32, int8), LOG_SOFTMAX (float32, int8), TRANSPOSE_CONV (int8, float32),
// BATCH_MATMUL (int8, float32); the float32 layers (mn_f32_*.c: CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, AVERAGE/MAX_POOL_2D, RELU, RELU6, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH, ELU,
// PRELU, SOFTMAX).
// Flash: 6685 bytes (object .text of its files, not the linker map).
#ifndef MICRONN_OP_NN
#define MICRONN_OP_NN (1)
#endif

// Recurrent layers: UNIDIRECTIONAL_SEQUENCE_LSTM int8 and 16x8 (int16 cell state) and float32
// (kernels/mn_lstm.c: the int8 gate matmuls on the FULLY_CONNECTED kernel's SMLAD passes on ARMv7E-M,
// lstm_s8_ref too; float32 uses kernels/mn_libm_f32.c, compiled when MATH, NN or RECURRENT is on);
// SVDF (int8 with int8 or int16 state, float32; kernels/mn_svdf.c). Their state: variable tensors
// kept across runs, in the state area.
// Flash: 11787 bytes (M4 object .text of the files this flag guards, not the linker map).
#ifndef MICRONN_OP_RECURRENT
#define MICRONN_OP_RECURRENT (1)
#endif

// int16 (16x8) activations: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV and
// BATCH_MATMUL with int16 activations and int8 weights (mn_*_s16.c; int64 or int32 sums as TFLM);
// LOGISTIC, TANH (TFLM's sigmoid table, interpolated), RELU, RELU6, LEAKY_RELU, PRELU (int8 alpha),
// AVERAGE_POOL_2D, MAX_POOL_2D, SOFTMAX int16 -> int16 (exp and 1/(1+x) tables: mn_act_s16.c,
// mn_pool2d_s16.c, mn_softmax_s16.c); MEAN and SUM (mn_reduce_s16.c); QUANTIZE between int8,
// int16 and int32 and float32 -> int16, DEQUANTIZE int16, SOFTMAX int8 -> int16 (mn_q16.c);
// ADD, SUB, MUL, SQUARED_DIFFERENCE (binary_s16), MINIMUM/MAXIMUM, SELECT_V2 and ABS (mn_*_s16.c).
// CONV_2D and FULLY_CONNECTED keep their plain C references (_ref) next to the SMLALD kernels.
// Flash: 21649 bytes (M4 object .text of the files this flag guards, not the linker map).
#ifndef MICRONN_OP_INT16
#define MICRONN_OP_INT16 (1)
#endif

// int4 packed weights (TFLite INT4, read in place, unpacked in the inner loop): FULLY_CONNECTED
// int8 with int4 weights (fully_connected_s4, kernels/mn_fully_connected_s4.c).
// Flash: 880 bytes (M4 object .text of mn_fully_connected_s4.c and bind_spec_int4.c, 762, and the
// FC4 range table; not the linker map).
#ifndef MICRONN_OP_INT4
#define MICRONN_OP_INT4 (1)
#endif

#endif // MICRONN_CONFIG_H
