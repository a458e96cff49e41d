/* The data contract (contract/sources.c) is consistent: every key, foreign
 * key, freshness and one-name column it declares is one of its table's
 * columns with a type that fits, and every foreign key names a declared
 * table by its key. The loader, the source checks and the diagram trust
 * these declarations without checking them again. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "contract/schema.h"
#include "draw/chart.h"

/* The loader keeps at most this many FK_CASCADE keys per table (load.c). */
#define MAX_CASCADE 8

static const src_col *col_of(const src_table *t, const char *name)
{
	int c = src_col_index(t, name);
	return c < 0 ? NULL : &t->cols[c];
}

static int is_date(mm_type type)
{
	return type == T_DATE || type == T_TS;
}

/* The first problem of the columns of t, or 0 (the message in why). */
static int columns_problem(const src_table *t, char *why, size_t n)
{
	for (int c = 0; c < t->ncols; c++) {
		const src_col *sc = &t->cols[c];
		if (src_col_index(t, sc->name) != c)
			return snprintf(why, n, "%s.%s is declared twice", t->name, sc->name);
		if (sc->enums && sc->type != T_STR)
			return snprintf(why, n, "%s.%s has accepted values but is not text", t->name, sc->name);
		if ((sc->flags & COL_RANGE) && (sc->type != T_INT || sc->lo > sc->hi))
			return snprintf(why, n, "%s.%s has a range but is not an integer, or lo > hi", t->name,
					sc->name);
	}
	return 0;
}

/* The first problem of the key, freshness and one-name columns of t. */
static int keys_problem(const src_table *t, char *why, size_t n)
{
	const src_col *k = t->key ? col_of(t, t->key) : NULL;
	if (t->key && !k)
		return snprintf(why, n, "%s: key %s is not a column", t->name, t->key);
	if (k && (k->type != T_STR || !(k->flags & COL_NOTNULL) || (k->flags & COL_OPTIONAL)))
		return snprintf(why, n, "%s: key %s must be required, not-null text", t->name, t->key);
	const src_col *f = t->fresh ? col_of(t, t->fresh) : NULL;
	if (t->fresh && (!f || !is_date(f->type)))
		return snprintf(why, n, "%s: freshness column %s is not a date or timestamp column", t->name, t->fresh);
	const src_col *o = t->one_name ? col_of(t, t->one_name) : NULL;
	if (t->one_name && (!k || !o || o->type != T_STR))
		return snprintf(why, n, "%s: one_name needs a key and a text column %s", t->name, t->one_name);
	return 0;
}

/* The first problem of the foreign key fk of table i of tables[nt]. */
static int fk_problem(const src_table *tables, int nt, int i, const src_fk *fk, char *why, size_t n)
{
	const src_table *t = &tables[i];
	const src_col *c = col_of(t, fk->column);
	if (!c)
		return snprintf(why, n, "%s: foreign key %s is not a column", t->name, fk->column);
	if (fk->parent < 0 || fk->parent >= nt)
		return snprintf(why, n, "%s.%s: parent %d is not a declared table", t->name, fk->column, fk->parent);
	const src_table *p = &tables[fk->parent];
	const src_col *pk = p->key ? col_of(p, p->key) : NULL;
	if (!pk)
		return snprintf(why, n, "%s.%s: parent %s declares no key", t->name, fk->column, p->name);
	if (c->type != pk->type)
		return snprintf(why, n, "%s.%s: type differs from %s.%s", t->name, fk->column, p->name, p->key);
	unsigned checks = FK_CHECK_MAPPED | FK_CHECK_ELECTIVE;
	if ((fk->flags & FK_LOOKUP) && !p->seed)
		return snprintf(why, n, "%s.%s: a code lookup in %s, which is not a seed", t->name, fk->column, p->name);
	if ((fk->flags & checks) && !(fk->flags & FK_LOOKUP))
		return snprintf(why, n, "%s.%s: a code check on a key that is not a lookup", t->name, fk->column);
	if ((fk->flags & FK_CASCADE) && ((fk->flags & FK_LOOKUP) || fk->parent >= i || !p->entity))
		return snprintf(why, n, "%s.%s: sets rows aside, so %s must be loaded first, name its rows "
				"(entity) and not be a lookup", t->name, fk->column, p->name);
	for (int k = 0; k < t->nfks && &t->fks[k] != fk; k++)
		if (strcmp(t->fks[k].column, fk->column) == 0)
			return snprintf(why, n, "%s.%s: two foreign keys on one column", t->name, fk->column);
	return 0;
}

/* The first problem of the contract tables[nt], or NULL. */
static const char *contract_problem(const src_table *tables, int nt, char *why, size_t n)
{
	for (int i = 0; i < nt; i++) {
		const src_table *t = &tables[i];
		for (int j = 0; j < i; j++)
			if (!strcmp(tables[j].name, t->name) || !strcmp(tables[j].file, t->file))
				return snprintf(why, n, "%s declared twice", t->name), why;
		if (columns_problem(t, why, n) || keys_problem(t, why, n))
			return why;
		int cascade = 0;
		for (int k = 0; k < t->nfks; k++) {
			if (fk_problem(tables, nt, i, &t->fks[k], why, n))
				return why;
			cascade += (t->fks[k].flags & FK_CASCADE) != 0;
		}
		if (cascade > MAX_CASCADE)
			return snprintf(why, n, "%s: more than %d keys set rows aside", t->name, MAX_CASCADE), why;
	}
	return NULL;
}

Test(contract, the_declared_contract_is_consistent)
{
	char why[300];
	const char *p = contract_problem(source_tables, SRC_COUNT, why, sizeof why);
	cr_expect_null(p, "%s", p);
}

/* The keys the loader, the checks and the diagram relied on before they
 * were declared with the tables. */
Test(contract, keys_and_checks_where_they_were)
{
	cr_expect_str_eq(source_tables[SRC_WAITING_LIST].key, "PATHWAY_ID");
	cr_expect_str_eq(source_tables[SRC_ORG_HIERARCHY].key, "SITE_ID");
	cr_expect_null(source_tables[SRC_CONDITIONS].key, "conditions have no key");
	cr_expect_null(source_tables[SRC_PROCEDURES].key, "procedures have no key");
	cr_expect_str_eq(source_tables[SRC_ENCOUNTERS].fresh, "START");
	cr_expect_str_eq(source_tables[SRC_ORGANIZATIONS].one_name, "NAME");
	int nfk = 0, ncascade = 0, nlookup = 0;
	for (int s = 0; s < SRC_COUNT; s++)
		for (int k = 0; k < source_tables[s].nfks; k++) {
			nfk++;
			ncascade += (source_tables[s].fks[k].flags & FK_CASCADE) != 0;
			nlookup += (source_tables[s].fks[k].flags & FK_LOOKUP) != 0;
		}
	cr_expect_eq(nfk, 28);
	cr_expect_eq(ncascade, 7, "patients of six tables and the pathway of an appointment");
	cr_expect_eq(nlookup, 7);
	/* An appointment of a rejected pathway is set aside for its pathway. */
	const src_table *a = &source_tables[SRC_APPOINTMENTS];
	cr_expect_str_eq(a->fks[0].column, "PATHWAY_ID");
	cr_expect(a->fks[0].flags & FK_CASCADE);
}

/* A few broken contracts: each is caught, with its own reason. */
static const src_col cols_a[] = {
	{"Id", T_STR, COL_NOTNULL, 0, 0, 0},
	{"DAY", T_DATE, 0, 0, 0, 0},
	{"N", T_INT, 0, 0, 0, 0},
};
static const src_col cols_b[] = {
	{"Id", T_STR, COL_NOTNULL, 0, 0, 0},
	{"A", T_STR, 0, 0, 0, 0},
	{"N", T_INT, 0, 0, 0, 0},
};

static void expect_problem(const src_table *tables, int nt, const char *want)
{
	char why[300];
	const char *p = contract_problem(tables, nt, why, sizeof why);
	cr_expect_not_null(p, "no problem found; wanted '%s'", want);
	if (p)
		cr_expect(strstr(p, want) != NULL, "'%s' does not say '%s'", p, want);
}

Test(contract, broken_contracts_are_caught)
{
	static const src_fk to_a[] = {{"A", 0, FK_CASCADE}};
	static const src_fk to_nowhere[] = {{"A", 5, 0}};
	static const src_fk no_col[] = {{"B", 0, 0}};
	static const src_fk to_int[] = {{"N", 0, 0}};
	static const src_fk check_only[] = {{"A", 0, FK_CHECK_MAPPED}};
	static const src_fk lookup_a[] = {{"A", 0, FK_LOOKUP}};
	src_table ok[2] = {
		{.name = "a", .file = "a.csv", .ncols = 3, .cols = cols_a, .key = "Id", .entity = "a row",
		 .fresh = "DAY"},
		{.name = "b", .file = "b.csv", .ncols = 3, .cols = cols_b, .key = "Id", .nfks = 1, .fks = to_a},
	};
	char why[300];
	const char *p = contract_problem(ok, 2, why, sizeof why);
	cr_expect_null(p, "%s", p);

	src_table t[2];
	memcpy(t, ok, sizeof t);
	t[0].key = "ID";
	expect_problem(t, 2, "key ID is not a column");
	memcpy(t, ok, sizeof t);
	t[0].key = "N";
	expect_problem(t, 2, "must be required, not-null text");
	memcpy(t, ok, sizeof t);
	t[0].fresh = "N";
	expect_problem(t, 2, "freshness column N");
	memcpy(t, ok, sizeof t);
	t[0].one_name = "DAY";
	expect_problem(t, 2, "one_name needs");
	memcpy(t, ok, sizeof t);
	t[1].fks = to_nowhere;
	expect_problem(t, 2, "not a declared table");
	memcpy(t, ok, sizeof t);
	t[1].fks = no_col;
	expect_problem(t, 2, "foreign key B is not a column");
	memcpy(t, ok, sizeof t);
	t[1].fks = to_int;
	expect_problem(t, 2, "type differs from a.Id");
	memcpy(t, ok, sizeof t);
	t[1].fks = check_only;
	expect_problem(t, 2, "not a lookup");
	memcpy(t, ok, sizeof t);
	t[1].fks = lookup_a;
	expect_problem(t, 2, "which is not a seed");
	memcpy(t, ok, sizeof t);
	t[0].entity = NULL;
	expect_problem(t, 2, "sets rows aside");
	memcpy(t, ok, sizeof t);
	t[0].key = NULL;
	expect_problem(t, 2, "parent a declares no key");
	memcpy(t, ok, sizeof t);
	t[1].name = "a";
	expect_problem(t, 2, "a declared twice");
}

/* The diagram of the sources draws each declared foreign key, from the
 * child column to the parent's key, dashed-titled when it is a lookup. */
Test(contract, every_foreign_key_is_drawn)
{
	chart *c = er_diagram(NULL);
	cr_assert(c);
	int n = 0;
	for (int s = 0; s < SRC_COUNT; s++) {
		const src_table *d = &source_tables[s];
		for (int k = 0; k < d->nfks; k++, n++) {
			const src_table *p = &source_tables[d->fks[k].parent];
			char want[300];
			snprintf(want, sizeof want, "%s.%s \xE2\x86\x92 %s.%s%s", d->name, d->fks[k].column, p->name, p->key,
				 d->fks[k].flags & FK_LOOKUP ? " (code lookup)" : "");
			int found = 0;
			for (size_t i = 0; i < c->n; i++)
				found += c->v[i].kind == SH_POLYLINE && c->v[i].title && !strcmp(c->v[i].title, want);
			cr_expect_eq(found, 1, "edge '%s' drawn %d times", want, found);
		}
	}
	size_t edges = 0;
	for (size_t i = 0; i < c->n; i++)
		edges += c->v[i].kind == SH_POLYLINE && c->v[i].title != NULL;
	cr_expect_eq(edges, (size_t)n, "%zu edges for %d declared foreign keys", edges, n);
	chart_free(c);
}
