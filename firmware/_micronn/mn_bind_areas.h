// Globals-table entries of the area binding files (bind_<area>.c). Each area has a header
// bind_<area>.h defining MN_BIND_<AREA>_ENTRIES (a list of `{ MP_ROM_QSTR(...), MP_ROM_PTR(...) },`)
// and declaring the function objects it names.
#ifndef MN_BIND_AREAS_H
#define MN_BIND_AREAS_H

#include "bind_runtime.h"
#include "bind_activations.h"
#include "bind_signal.h"
#include "bind_detection.h"
#include "bind_elementwise.h"

#define MN_BIND_AREA_ENTRIES \
    MN_BIND_RUNTIME_ENTRIES \
    MN_BIND_ACTIVATIONS_ENTRIES \
    MN_BIND_SIGNAL_ENTRIES \
    MN_BIND_DETECTION_ENTRIES \
    MN_BIND_ELEMENTWISE_ENTRIES

#endif // MN_BIND_AREAS_H
