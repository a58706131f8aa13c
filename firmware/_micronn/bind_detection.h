// Bindings of the detection area (bind_detection.c): declarations and globals-table entries.
#ifndef MN_BIND_DETECTION_H
#define MN_BIND_DETECTION_H

#define MN_BIND_DETECTION_ENTRIES

#endif // MN_BIND_DETECTION_H
