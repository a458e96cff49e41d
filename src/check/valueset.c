/* Sets of column values for ref() tests and code-mapping checks: one probe
 * per looked-up cell, so a ref test is O(rows + target rows). Strings use a
 * bitmap over the pool's ids: one bit per interned string, far smaller than
 * a hash table of millions of keys. */
#include "check/check.h"
#include "util/xalloc.h"
#include <string.h>

uint64_t test_cell_key(const mm_table *t, int c, size_t r)
{
	const mm_column *col = &t->cols[c];
	switch (col->type) {
	case T_INT:
	case T_TS:
		return (uint64_t)col->v.i64[r];
	case T_NUM: {
		double x = col->v.f64[r];
		uint64_t k;
		if (x == 0)
			x = 0; /* -0 == 0 */
		memcpy(&k, &x, sizeof k);
		return k;
	}
	default:
		return (uint32_t)col->v.i32[r];
	}
}

void value_set_build(value_set *vs, const mm_table *t, int c, mm_type probe)
{
	char buf[64];
	memset(vs, 0, sizeof *vs);
	vs->t = t;
	vs->c = c;
	vs->probe = probe;
	vs->by_text = t->cols[c].type != probe;
	if (vs->by_text) {
		/* Different types meet on their text form ("7" matches 7). */
		vs->own = xmalloc(sizeof *vs->own);
		sp_init(vs->own);
		for (size_t r = 0; r < t->nrows; r++)
			if (!tbl_isnull(t, c, r))
				sp_intern_cstr(vs->own, tbl_fmt(t, c, r, buf, sizeof buf));
		return;
	}
	if (probe == T_STR) {
		vs->nbits = t->sp->n;
		vs->bits = xcalloc(vs->nbits / 8 + 1, 1);
		for (size_t r = 0; r < t->nrows; r++) {
			uint32_t id = tbl_sid(t, c, r);
			if (id)
				vs->bits[id >> 3] |= (uint8_t)(1u << (id & 7));
		}
		return;
	}
	hmap_init(&vs->keys, 1024);
	for (size_t r = 0; r < t->nrows; r++)
		if (!tbl_isnull(t, c, r))
			hmap_put(&vs->keys, test_cell_key(t, c, r), 1);
}

static int has_id(const value_set *vs, uint32_t id)
{
	return id != 0 && id < vs->nbits && (vs->bits[id >> 3] >> (id & 7) & 1);
}

int value_set_has(const value_set *vs, const mm_table *u, int uc, size_t r)
{
	char buf[64];
	if (vs->by_text) {
		const char *s = tbl_fmt(u, uc, r, buf, sizeof buf);
		uint32_t id = sp_find(vs->own, s, strlen(s));
		return id != UINT32_MAX && id != 0;
	}
	if (vs->probe == T_STR) {
		uint32_t id = tbl_sid(u, uc, r);
		if (u->sp != vs->t->sp) {
			/* Ids of another pool mean nothing here: look the text up. */
			const char *s = tbl_str(u, uc, r);
			id = sp_find(vs->t->sp, s, strlen(s));
			if (id == UINT32_MAX)
				return 0;
		}
		return has_id(vs, id);
	}
	return hmap_get(&vs->keys, test_cell_key(u, uc, r)) != HMAP_NONE;
}

void value_set_free(value_set *vs)
{
	if (vs->own) {
		sp_free(vs->own);
		free(vs->own);
	}
	free(vs->bits);
	if (vs->keys.cap)
		hmap_free(&vs->keys);
	memset(vs, 0, sizeof *vs);
}
