"""Generated-model cases of the NN area's convolution-like ops (ops_conv.py: TRANSPOSE_CONV,
BATCH_MATMUL; see opcases.py): (id, .tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on every test board."""

CASES = []
