// Replaces the malloc family for the whole test binary. ELF symbol interposition makes every
// library in the process (the Swift runtime, Foundation, XCTest) call these definitions, which
// count and then forward to glibc's allocator through its exported __libc_* entry points.
// glibc documents this way of replacing malloc; nothing here allocates or takes a lock.

#include "AllocCounter.h"

// A sanitizer runtime replaces the malloc family itself and must own it from its first call
// (TSan's start-up allocates through dlsym); our wrappers would run before it is ready. Under
// a sanitizer the counter is off and says so, and the allocation tests skip.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define ALLOC_COUNTER_OFF 1
#endif
#endif

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_long allocations;
static atomic_long frees;

// Set only on the thread being measured. Initial-exec TLS in the executable: reading it
// needs no allocation, which matters inside malloc.
static _Thread_local int counting;

static inline void count_allocation(void) {
    if (counting) atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

void alloc_counter_begin(void) {
    atomic_store(&allocations, 0);
    atomic_store(&frees, 0);
    counting = 1;
}

long alloc_counter_end(void) {
    counting = 0;
    return atomic_load(&allocations);
}

long alloc_counter_frees(void) { return atomic_load(&frees); }

#ifdef ALLOC_COUNTER_OFF
int alloc_counter_available(void) { return 0; }
#else
int alloc_counter_available(void) { return 1; }

void *malloc(size_t size) {
    count_allocation();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_allocation();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_allocation();
    return __libc_realloc(pointer, size);
}

void free(void *pointer) {
    if (counting && pointer != NULL) atomic_fetch_add_explicit(&frees, 1, memory_order_relaxed);
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}

void *valloc(size_t size) {
    count_allocation();
    return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    // The same argument rule as glibc: a power of two and a multiple of sizeof(void *).
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    count_allocation();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *out = pointer;
    return 0;
}
#endif
