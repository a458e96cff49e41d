#include "util/strpool.h"
#include "util/xalloc.h"
#include <string.h>

uint64_t mm_hash(const void *p, size_t n)
{
	/* FNV-1a with a final mix: fast, deterministic across machines. */
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void sp_init(strpool *sp)
{
	memset(sp, 0, sizeof *sp);
	arena_init(&sp->mem, 1u << 20);
	sp->nslots = 1024;
	sp->slots = xcalloc(sp->nslots, sizeof *sp->slots);
	sp_intern(sp, "", 0);
}

void sp_free(strpool *sp)
{
	arena_free(&sp->mem);
	free(sp->strs);
	free(sp->lens);
	free(sp->slots);
	memset(sp, 0, sizeof *sp);
}

static void grow(strpool *sp)
{
	size_t n = sp->nslots * 2;
	uint32_t *s = xcalloc(n, sizeof *s);
	for (size_t i = 0; i < sp->nslots; i++) {
		uint32_t v = sp->slots[i];
		if (!v)
			continue;
		size_t j = mm_hash(sp->strs[v - 1], sp->lens[v - 1]) & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = v;
	}
	free(sp->slots);
	sp->slots = s;
	sp->nslots = n;
}

uint32_t sp_find(const strpool *sp, const char *s, size_t len)
{
	size_t j = mm_hash(s, len) & (sp->nslots - 1);
	for (;;) {
		uint32_t v = sp->slots[j];
		if (!v)
			return UINT32_MAX;
		if (sp->lens[v - 1] == len && memcmp(sp->strs[v - 1], s, len) == 0)
			return v - 1;
		j = (j + 1) & (sp->nslots - 1);
	}
}

uint32_t sp_intern(strpool *sp, const char *s, size_t len)
{
	size_t j = mm_hash(s, len) & (sp->nslots - 1);
	for (;;) {
		uint32_t v = sp->slots[j];
		if (!v)
			break;
		if (sp->lens[v - 1] == len && memcmp(sp->strs[v - 1], s, len) == 0)
			return v - 1;
		j = (j + 1) & (sp->nslots - 1);
	}
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 1024;
		sp->strs = xrealloc(sp->strs, sp->cap * sizeof *sp->strs);
		sp->lens = xrealloc(sp->lens, sp->cap * sizeof *sp->lens);
	}
	uint32_t id = sp->n++;
	sp->strs[id] = arena_strndup(&sp->mem, s, len);
	sp->lens[id] = (uint32_t)len;
	sp->slots[j] = id + 1;
	if ((size_t)sp->n * 2 > sp->nslots)
		grow(sp);
	return id;
}

uint32_t sp_intern_cstr(strpool *sp, const char *s)
{
	return sp_intern(sp, s, strlen(s));
}
