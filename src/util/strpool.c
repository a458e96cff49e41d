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

/* The pool's own hash, eight bytes at a time: it only places strings in
 * the table, so it never changes an id or any output. */
static uint64_t sp_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 32;
	return h;
}

static inline uint64_t slot_of(uint64_t h, uint32_t id)
{
	return (h & 0xffffffff00000000ULL) | (uint64_t)(id + 1);
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
	uint64_t *t = xcalloc(n, sizeof *t);
	for (size_t i = 0; i < sp->nslots; i++) {
		uint64_t v = sp->slots[i];
		if (!v)
			continue;
		uint32_t id = (uint32_t)v - 1;
		size_t j = sp_hash(sp->strs[id], sp->lens[id]) & (n - 1);
		while (t[j])
			j = (j + 1) & (n - 1);
		t[j] = v;
	}
	free(sp->slots);
	sp->slots = t;
	sp->nslots = n;
}

/* Slot of s: where it is, or the empty slot where it would go. */
static size_t probe(const strpool *sp, const char *s, size_t len, uint64_t h)
{
	uint64_t tag = h & 0xffffffff00000000ULL;
	size_t j = h & (sp->nslots - 1);
	for (;;) {
		uint64_t v = sp->slots[j];
		if (!v)
			return j;
		uint32_t id = (uint32_t)v - 1;
		if ((v & 0xffffffff00000000ULL) == tag && sp->lens[id] == len && memcmp(sp->strs[id], s, len) == 0)
			return j;
		j = (j + 1) & (sp->nslots - 1);
	}
}

uint32_t sp_find(const strpool *sp, const char *s, size_t len)
{
	uint64_t v = sp->slots[probe(sp, s, len, sp_hash(s, len))];
	return v ? (uint32_t)v - 1 : UINT32_MAX;
}

uint32_t sp_intern(strpool *sp, const char *s, size_t len)
{
	uint64_t h = sp_hash(s, len);
	size_t j = probe(sp, s, len, h);
	if (sp->slots[j])
		return (uint32_t)sp->slots[j] - 1;
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 1024;
		sp->strs = xrealloc(sp->strs, sp->cap * sizeof *sp->strs);
		sp->lens = xrealloc(sp->lens, sp->cap * sizeof *sp->lens);
	}
	uint32_t id = sp->n++;
	sp->strs[id] = arena_strndup(&sp->mem, s, len);
	sp->lens[id] = (uint32_t)len;
	sp->slots[j] = slot_of(h, id);
	if ((size_t)sp->n * 2 > sp->nslots)
		grow(sp);
	return id;
}

uint32_t sp_intern_cstr(strpool *sp, const char *s)
{
	return sp_intern(sp, s, strlen(s));
}
