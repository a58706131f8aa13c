// Bindings of the signal area (bind_signal.c): declarations and globals-table entries.
#ifndef MN_BIND_SIGNAL_H
#define MN_BIND_SIGNAL_H

#define MN_BIND_SIGNAL_ENTRIES

#endif // MN_BIND_SIGNAL_H
