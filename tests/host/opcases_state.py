"""Generated-model cases of state and control flow (see opcases.py): resource variables
(VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE) with and without a CALL_ONCE init subgraph, IF
between two int8 subgraphs, WHILE summing int32, a WHILE running an IF, an int8 variable tensor. Each case is one
invoke of a fresh model, checked against live TFLite Micro on the numpy backend and on every
test board; test_state.py runs the same models over consecutive invokes, reset() and state
snapshots."""

import numpy as np

from host_tools.check import modelgen
from host_tools.check.modelgen import ModelBuilder, schema

CASES = []


def variable_add(shape=(2, 3), scale=0.5, zero_point=5):
    """ADD(v, x) of an int8 variable tensor v (no op writes it): TFLite Micro fills it with its
    zero point at allocation and at reset(), ignoring its buffer."""
    b = ModelBuilder("micronn opcases state variable_add")
    x = b.add_input("x", shape, np.int8, scale, zero_point)
    v = b.add_tensor("v", shape, np.int8, scale, zero_point, is_variable=True,
                     data=np.full(shape, 3, np.int8))
    y = b.add_output("y", shape, np.int8, scale * 1.5, -zero_point)
    b.add_operator("ADD", [v, x], [y], schema.AddOptionsT())
    return b.finish()


def _i32(*v):
    return np.array(v, np.int32)


# (id, model, inputs of one invoke)
_rng = np.random.default_rng(15000)
STATE_MODELS = [
    ("counter-s32-init", modelgen.streaming_counter((2,), np.int32, init=(100, -7)), [_i32(1, 2)]),
    ("counter-s32", modelgen.streaming_counter((3,), np.int32, init=None), [_i32(5, -6, 2 ** 30)]),
    ("counter-s8-init", modelgen.streaming_counter((1, 5), np.int8, init=(40, -3, 0, 9, 127), scale=0.25,
                                                   zero_point=-9), [modelgen.random_input(_rng, (1, 5))]),
    ("counter-s8", modelgen.streaming_counter((4,), np.int8, init=None, scale=0.5, zero_point=5),
     [np.array([1, 2, -128, 127], np.int8)]),
    ("if-then", modelgen.if_select(np.random.default_rng(15001)), [modelgen.random_input(_rng, (1, 7)),
                                                                   np.array([True])]),
    ("if-else", modelgen.if_select(np.random.default_rng(15002), (2, 3, 5)),
     [modelgen.random_input(_rng, (2, 3, 5)), np.array([False])]),
    ("while-sum-0", modelgen.while_sum((3,)), [_i32(0), _i32(3, -4, 1000)]),
    ("while-sum-7", modelgen.while_sum((1, 5)), [_i32(7), _i32(1, -1, 2 ** 27, -(2 ** 27), 12345)]),
    ("while-if-5", modelgen.while_if((4,)), [_i32(5), _i32(2), _i32(1, -2, 30000, -(2 ** 28))]),
    ("variable-s8", variable_add(), [modelgen.random_input(_rng, (2, 3))]),
]
CASES += [("state-" + name, model, ins) for name, model, ins in STATE_MODELS]
