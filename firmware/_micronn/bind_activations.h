// Bindings of the activations area (bind_activations.c): declarations and globals-table entries.
#ifndef MN_BIND_ACTIVATIONS_H
#define MN_BIND_ACTIVATIONS_H

#define MN_BIND_ACTIVATIONS_ENTRIES

#endif // MN_BIND_ACTIVATIONS_H
