"""Checking micronn against TFLite Micro: tflm (the TFLM interpreter harness), modelgen (generated
.tflite models), runner (run a model on a backend), verify (bit-exact against TFLM), fuzz."""
