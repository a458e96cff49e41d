#include "util/strpool.h"
#include "util/xalloc.h"
#include <string.h>
#include <sys/mman.h>

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
uint64_t sp_hash_bytes(const char *s, size_t n)
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

/* A slot keeps the top half of the hash as a tag, and the tag's low bits
 * pick the home slot. Growing then moves every slot by its tag alone,
 * without reading or hashing the strings again (a cache miss each). */
static inline uint64_t slot_of(uint64_t h, uint32_t id)
{
	return (h & 0xffffffff00000000ULL) | (uint64_t)(id + 1);
}

static inline size_t home_of(uint64_t tagged, size_t nslots)
{
	return (size_t)(tagged >> 32) & (nslots - 1);
}

/* Tables of 2 MB and more ask for huge pages: each probe lands on a
 * random slot, and with 4 kB pages most of them also miss the TLB. */
#define SLOTS_HUGE ((size_t)2 << 20)

static void slots_alloc(strpool *sp, size_t n)
{
	sp->nslots = n;
	sp->slots_mapped = 0;
#ifdef MADV_HUGEPAGE
	size_t bytes = n * sizeof *sp->slots;
	if (bytes >= SLOTS_HUGE) {
		void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			madvise(p, bytes, MADV_HUGEPAGE);
			sp->slots = p;
			sp->slots_mapped = 1;
			return;
		}
	}
#endif
	sp->slots = xcalloc(n, sizeof *sp->slots);
}

static void slots_free(uint64_t *slots, size_t n, int mapped)
{
	if (mapped)
		munmap(slots, n * sizeof *slots);
	else
		free(slots);
}

void sp_init(strpool *sp)
{
	memset(sp, 0, sizeof *sp);
	arena_init(&sp->mem, 1u << 20);
	slots_alloc(sp, 1024);
	sp_intern(sp, "", 0);
}

void sp_free(strpool *sp)
{
	arena_free(&sp->mem);
	free(sp->strs);
	free(sp->lens);
	slots_free(sp->slots, sp->nslots, sp->slots_mapped);
	memset(sp, 0, sizeof *sp);
}

static void grow(strpool *sp)
{
	uint64_t *old = sp->slots;
	size_t nold = sp->nslots;
	int mapped = sp->slots_mapped;
	slots_alloc(sp, nold * 2);
	size_t mask = sp->nslots - 1;
	for (size_t i = 0; i < nold; i++) {
		uint64_t v = old[i];
		if (!v)
			continue;
		size_t j = home_of(v, sp->nslots);
		while (sp->slots[j])
			j = (j + 1) & mask;
		sp->slots[j] = v;
	}
	slots_free(old, nold, mapped);
}

/* Slot of s: where it is, or the empty slot where it would go. */
static size_t probe(const strpool *sp, const char *s, size_t len, uint64_t h)
{
	uint64_t tag = h & 0xffffffff00000000ULL;
	size_t j = home_of(h, sp->nslots);
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
	uint64_t v = sp->slots[probe(sp, s, len, sp_hash_bytes(s, len))];
	return v ? (uint32_t)v - 1 : UINT32_MAX;
}

uint32_t sp_intern(strpool *sp, const char *s, size_t len)
{
	return sp_intern_hashed(sp, s, len, sp_hash_bytes(s, len));
}

uint32_t sp_intern_hashed(strpool *sp, const char *s, size_t len, uint64_t h)
{
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
