/* Bump allocator for per-run data: many small allocations, one free. */
#ifndef MM_ARENA_H
#define MM_ARENA_H
#include <stddef.h>

struct arena_block;
typedef struct arena {
	struct arena_block *head;
	size_t block_size;
} arena;

void arena_init(arena *a, size_t block_size);
void *arena_alloc(arena *a, size_t n);      /* 8-byte aligned, zeroed; freed by arena_free */
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

#endif
