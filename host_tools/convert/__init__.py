"""The converter: .tflite -> .micronn.

core (Converter: tensors and ops), graph (Tensor, Op, ConvertError, schema tables), planner
(arena plan), writer (the file bytes), registry (rules by builtin and input dtype), rules/ (one
module per area; rules/spec.py makes the rules of the ops whose spec entry names a rule family), params (the params TFLite Micro's Prepare computes), quant (multipliers and
activation ranges). Importing the package registers every rule.
"""

from .core import Converter, builtin_options_dict, convert, custom_options_dict, options_json
from .graph import ConvertError, Op, Tensor
from .registry import custom_rule, rule
from .rules import (  # noqa: F401 (registers)
           act16,
           activations,
           conv,
           conv16,
           detection,
           elem16,
           elementwise,
           f32,
           index,
           int4,
           lstm,
           math,
           nn,
           red16,
           shape,
           signal,
           spec,
           state,
           svdf,
           tier1,
           unary,
)

__all__ = ["Converter", "ConvertError", "Op", "Tensor", "builtin_options_dict", "convert",
           "custom_options_dict", "custom_rule", "options_json", "rule"]
