#include "util/hmap.h"
#include "util/xalloc.h"
#include <string.h>

static inline size_t slot(uint64_t k, size_t cap)
{
	k ^= k >> 31;
	k *= 0x9e3779b97f4a7c15ULL;
	k ^= k >> 29;
	return (size_t)k & (cap - 1);
}

void hmap_init(hmap *m, size_t expect)
{
	size_t cap = 16;
	while (cap < expect * 2)
		cap *= 2;
	m->cap = cap;
	m->n = 0;
	m->keys = xmalloc(cap * sizeof *m->keys);
	m->vals = xmalloc(cap * sizeof *m->vals);
	memset(m->vals, 0xff, cap * sizeof *m->vals);
}

void hmap_free(hmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static void grow(hmap *m)
{
	hmap n;
	hmap_init(&n, m->cap);
	for (size_t i = 0; i < m->cap; i++)
		if (m->vals[i] != HMAP_NONE)
			hmap_put(&n, m->keys[i], m->vals[i]);
	hmap_free(m);
	*m = n;
}

uint32_t hmap_put(hmap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = slot(key, m->cap);
	while (m->vals[i] != HMAP_NONE) {
		if (m->keys[i] == key) {
			uint32_t old = m->vals[i];
			m->vals[i] = val;
			return old;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return HMAP_NONE;
}

uint32_t hmap_get(const hmap *m, uint64_t key)
{
	if (!m->cap)
		return HMAP_NONE;
	size_t i = slot(key, m->cap);
	while (m->vals[i] != HMAP_NONE) {
		if (m->keys[i] == key)
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return HMAP_NONE;
}
