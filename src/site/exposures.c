/* Exposures (as in dbt): the site pages and PDF packs that read models,
 * collected from parsed templates for the lineage diagram. */
#include "draw/chart.h"
#include "out/pdf/pack.h"
#include "template/template.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <string.h>

/* Adds name to v[0..*n) unless it is there. */
static void add_model(const char ***v, int *n, const char *name)
{
	if (!name || !*name)
		return;
	for (int i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return;
	*v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
	(*v)[(*n)++] = name;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *strf2(const char *a, size_t an, const char *b)
{
	size_t n = an + strlen(b) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%.*s%s", (int)an, a, b);
	return s;
}

int lineage_exposures_from_templates(const struct template *const *t, int n, lineage_exposure **out)
{
	lineage_exposure *v = NULL;
	int nv = 0;
	for (int i = 0; i < n; i++) {
		const template *tp = t[i];
		if (!tp || !tp->rel)
			continue;
		const char **models = NULL;
		int nm = 0;
		for (int b = 0; b < tp->nblocks; b++) {
			const tpl_block *bl = &tp->blocks[b];
			add_model(&models, &nm, bl->q.model.s);
			if (bl->kind == BLK_KPI || (bl->kind == BLK_KPIS && bl->nkpis > 0))
				add_model(&models, &nm, "kpi_summary");
		}
		if (!nm) {
			free(models);
			continue;
		}
		/* Names point into the template: copy them, sorted, so that the
		 * exposure outlives it and reads the same whatever the block order. */
		qsort(models, (size_t)nm, sizeof *models, cmp_str);
		char **own = xmalloc((size_t)nm * sizeof *own);
		for (int m = 0; m < nm; m++)
			own[m] = xstrdup(models[m]);
		free(models);
		const char *rel = tp->rel;
		size_t len = strlen(rel);
		if (len > 3 && strcmp(rel + len - 3, ".md") == 0)
			len -= 3;
		v = xrealloc(v, (size_t)(nv + 1) * sizeof *v);
		lineage_exposure *e = &v[nv++];
		e->name = strf2(rel, len, "");
		e->models = (const char *const *)own;
		e->nmodels = nm;
		if (strncmp(rel, "packs/", 6) == 0) {
			e->kind = EXPOSURE_PACK;
			if (tp->param) /* one pack per entity: all are listed on the downloads page */
				e->href = xstrdup("downloads.html#briefing-packs");
			else
				e->href = pack_output_path(rel, NULL);
		} else {
			e->kind = EXPOSURE_PAGE;
			const char *slash = strrchr(e->name, '/');
			if (tp->param && slash) /* trust/[trust_code]: one page per trust, listed on the folder's index */
				e->href = strf2(e->name, (size_t)(slash - e->name), "/index.html");
			else
				e->href = strf2(rel, len, ".html");
		}
	}
	*out = v;
	return nv;
}

void lineage_exposures_free(lineage_exposure *ex, int n)
{
	for (int i = 0; i < n; i++) {
		free((char *)ex[i].name);
		free((char *)ex[i].href);
		for (int m = 0; m < ex[i].nmodels; m++)
			free((char *)ex[i].models[m]);
		free((void *)ex[i].models);
	}
	free(ex);
}
