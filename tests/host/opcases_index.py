"""Generated-model cases of the SHAPE area's indexing ops (ops_index.py; see opcases.py): (id,
.tflite bytes, [inputs]), each checked against live TFLite Micro on the numpy backend and on every test board."""

CASES = []
