// Globals-table entries of the area binding files (bind_<area>.c). Each area has a header
// bind_<area>.h defining MN_BIND_<AREA>_ENTRIES (a list of `{ MP_ROM_QSTR(...), MP_ROM_PTR(...) },`)
// and declaring the function objects it names. An area switched off in micronn_config.h adds no
// entries (its binding file compiles to nothing).
#ifndef MN_BIND_AREAS_H
#define MN_BIND_AREAS_H

#include "micronn_config.h"
#include "bind_runtime.h"
#include "bind_activations.h"
#include "bind_signal.h"
#include "bind_detection.h"
#include "bind_elementwise.h"
#include "bind_math.h"
#include "bind_shape.h"
#include "bind_index.h"
#include "bind_unary.h"
#include "bind_spec.h" // generated bindings (the op spec), their own area guards

#if !MICRONN_OP_ACTIVATIONS
#undef MN_BIND_ACTIVATIONS_ENTRIES
#define MN_BIND_ACTIVATIONS_ENTRIES
#endif
#if !MICRONN_OP_SIGNAL
#undef MN_BIND_SIGNAL_ENTRIES
#define MN_BIND_SIGNAL_ENTRIES
#endif
#if !MICRONN_OP_DETECTION
#undef MN_BIND_DETECTION_ENTRIES
#define MN_BIND_DETECTION_ENTRIES
#endif
#if !MICRONN_OP_ELEMENTWISE
#undef MN_BIND_ELEMENTWISE_ENTRIES
#define MN_BIND_ELEMENTWISE_ENTRIES
#endif
#if !MICRONN_OP_MATH
#undef MN_BIND_MATH_ENTRIES
#define MN_BIND_MATH_ENTRIES
#undef MN_BIND_UNARY_ENTRIES
#define MN_BIND_UNARY_ENTRIES
#endif
#if !MICRONN_OP_SHAPE
#undef MN_BIND_SHAPE_ENTRIES
#define MN_BIND_SHAPE_ENTRIES
#undef MN_BIND_INDEX_ENTRIES
#define MN_BIND_INDEX_ENTRIES
#endif

#define MN_BIND_AREA_ENTRIES \
    MN_BIND_RUNTIME_ENTRIES \
    MN_BIND_ACTIVATIONS_ENTRIES \
    MN_BIND_SIGNAL_ENTRIES \
    MN_BIND_DETECTION_ENTRIES \
    MN_BIND_ELEMENTWISE_ENTRIES \
    MN_BIND_MATH_ENTRIES \
    MN_BIND_SHAPE_ENTRIES \
    MN_BIND_INDEX_ENTRIES \
    MN_BIND_UNARY_ENTRIES \
    MN_BIND_SPEC_ENTRIES

#endif // MN_BIND_AREAS_H
