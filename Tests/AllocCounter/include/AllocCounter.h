#ifndef ALLOC_COUNTER_H
#define ALLOC_COUNTER_H

/// Counts heap allocations made by the calling thread between `alloc_counter_begin` and
/// `alloc_counter_end`. The test binary's malloc family is replaced by thin wrappers around
/// glibc's own `__libc_*` functions, so every allocation still comes from glibc.
///
/// Only the thread that called `alloc_counter_begin` is counted, so work that XCTest or the
/// runtime does on other threads at the same moment cannot disturb a measurement.

/// Starts counting on the calling thread from zero.
void alloc_counter_begin(void);

/// Stops counting on the calling thread and returns the allocations seen (malloc, calloc,
/// realloc, posix_memalign, aligned_alloc, memalign, valloc) since `alloc_counter_begin`.
long alloc_counter_end(void);

/// The frees seen on counting threads since the last `alloc_counter_begin`.
long alloc_counter_frees(void);

/// 1 when the malloc family is replaced and counting works; 0 in a sanitizer build, where
/// the sanitizer's own allocator must stay in place.
int alloc_counter_available(void);

#endif
