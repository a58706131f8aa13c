// Bindings of the elementwise area (bind_elementwise.c): declarations and globals-table entries.
#ifndef MN_BIND_ELEMENTWISE_H
#define MN_BIND_ELEMENTWISE_H

#define MN_BIND_ELEMENTWISE_ENTRIES

#endif // MN_BIND_ELEMENTWISE_H
