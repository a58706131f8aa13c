"""Generated-model cases of the RECURRENT area's LSTM (see opcases.py): (id, .tflite bytes,
[inputs]), each checked against live TFLite Micro on the numpy backend and on every test board.
Consecutive runs of one model (the state carried between invokes) are in test_lstm_models.py."""

import numpy as np

from host_tools.check import modelgen

CASES = []

# (batch, time, n_input, n_cell, time_major, extra modelgen.lstm arguments): cells 1, 5, 20, 33
# (not multiples of 4; 33 and input 40 take the long-row dot product), input size 1 and odd,
# batch 1 and 3 both ways round; cell scales 2^-8 (the tanh's left shift), 2^-11, 2^-12 and
# 2^-15 (its right shift); no clip, a clip that bites, saturating gates; hidden zero points at
# both ends.
LSTMS = [
    (1, 3, 1, 5, False, {}),
    (3, 4, 7, 20, True, {}),
    (3, 5, 28, 20, False, {"hidden_zero_point": -128}),
    (1, 6, 13, 5, True, {"cell_clip": 0.0, "cell_scale": 2.0 ** -12}),
    (2, 4, 3, 1, False, {"hidden_zero_point": 60, "hidden_scale": 0.004}),
    (1, 8, 9, 20, False, {"weight_spread": 8.0, "cell_clip": 1.0}),
    (3, 3, 5, 5, True, {"cell_scale": 2.0 ** -15, "weight_spread": 3.0}),
    (1, 4, 6, 7, False, {"cell_scale": 2.0 ** -8, "cell_clip": 0.0}),
    (1, 2, 40, 33, False, {"input_zero_point": -128}),
]

for _k, (_b, _t, _n_in, _n_cell, _tm, _kw) in enumerate(LSTMS):
    _rng = np.random.default_rng(12000 + _k)
    _model = modelgen.lstm(_rng, batch=_b, time=_t, n_input=_n_in, n_cell=_n_cell, time_major=_tm, **_kw)
    _shape = (_t, _b, _n_in) if _tm else (_b, _t, _n_in)
    CASES.append(("lstm-s8-%d" % _k, _model, [modelgen.random_input(_rng, _shape, np.int8)]))

# 16x8 (int16 activations, int64 biases): the same corners, fewer of them.
LSTMS16 = [
    (1, 3, 1, 5, False, {}),
    (3, 4, 7, 20, True, {}),
    (2, 3, 40, 33, False, {"weight_spread": 4.0, "cell_clip": 1.0}),
    (1, 5, 9, 7, True, {"cell_scale": 2.0 ** -15, "cell_clip": 0.0}),
    (1, 4, 6, 1, False, {"cell_scale": 2.0 ** -8}),
]

for _k, (_b, _t, _n_in, _n_cell, _tm, _kw) in enumerate(LSTMS16):
    _rng = np.random.default_rng(12100 + _k)
    _model = modelgen.lstm(_rng, batch=_b, time=_t, n_input=_n_in, n_cell=_n_cell, time_major=_tm,
                           dtype=np.int16, **_kw)
    _shape = (_t, _b, _n_in) if _tm else (_b, _t, _n_in)
    CASES.append(("lstm-s16-%d" % _k, _model, [modelgen.random_input(_rng, _shape, np.int16)]))

# float32: cells not a multiple of 4, input 1, batch 3 both ways round, a clip that bites and none;
# inputs from small to large (saturated gates, a cell state past the clip)
LSTMSF = [
    (1, 3, 1, 5, False, {}, 1.0),
    (3, 4, 7, 20, True, {"cell_clip": 0.0}, 1.0),
    (2, 3, 9, 7, False, {"cell_clip": 0.5, "weight_spread": 3.0}, 4.0),
    (3, 2, 12, 33, True, {"cell_clip": 3.0}, 10.0),
]

for _k, (_b, _t, _n_in, _n_cell, _tm, _kw, _scale) in enumerate(LSTMSF):
    _rng = np.random.default_rng(12200 + _k)
    _model = modelgen.lstm(_rng, batch=_b, time=_t, n_input=_n_in, n_cell=_n_cell, time_major=_tm,
                           dtype=np.float32, **_kw)
    _shape = (_t, _b, _n_in) if _tm else (_b, _t, _n_in)
    _x = (modelgen.random_input(_rng, _shape, np.float32) * np.float32(_scale / 4)).astype(np.float32)
    CASES.append(("lstm-f32-%d" % _k, _model, [_x]))
