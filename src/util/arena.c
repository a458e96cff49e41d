#include "util/arena.h"
#include "util/xalloc.h"
#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(8) unsigned char data[];
};

void arena_init(arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : (1u << 20);
}

void *arena_alloc(arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t sz = n > a->block_size ? n : a->block_size;
		b = xmalloc(sizeof *b + sz);
		b->used = 0;
		b->size = sz;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void arena_free(arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
