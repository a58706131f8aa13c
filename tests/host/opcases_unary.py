"""Generated-model cases of the MATH area's unary ops (ops_unary.py; see opcases.py): (id, .tflite bytes, [inputs]),
each checked against live TFLite Micro on the numpy backend and on every test board."""

CASES = []
