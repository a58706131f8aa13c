"""Generated-model cases of the NN area's ops (see opcases.py): (id, .tflite bytes,
[inputs]), each checked against live TFLite Micro on the numpy backend and on every test board."""

CASES = []
