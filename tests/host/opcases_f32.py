"""Generated-model cases of the NN area's float32 layers (ops_f32.py; see opcases.py): (id, .tflite bytes, [inputs]),
each checked against live TFLite Micro on the numpy backend and on every test board."""

CASES = []
