#ifndef CNUMA_SHIM_H
#define CNUMA_SHIM_H
#include <numa.h>

/* Swift 6 rejects references to libnuma's mutable C globals as not concurrency-safe; functions are
   fine, so the globals are read and written through these accessors. */
static inline struct bitmask *cnuma_all_nodes(void) { return numa_all_nodes_ptr; }
static inline struct bitmask *cnuma_all_cpus(void) { return numa_all_cpus_ptr; }
static inline void cnuma_set_exit_on_error(int value) { numa_exit_on_error = value; }
#endif
