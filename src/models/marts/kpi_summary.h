/* What kpi_summary declares about each KPI beyond its row: the parts of a
 * percentage, so that the site can control the figure for all areas
 * without knowing KPIs by name (query/blocks.c). */
#ifndef MM_KPI_SUMMARY_H
#define MM_KPI_SUMMARY_H

/* What a percentage KPI is a percentage of: either another KPI's value
 * (kpi) or the rows of a model whose column col holds val. */
typedef struct kpi_denominator {
	const char *kpi;
	const char *model, *col, *val;
} kpi_denominator;

/* The denominator declared with kpi, or NULL when the published tables
 * cannot give it (appointment rates: their denominators are not tables of
 * the site), when kpi is no percentage, or when it is not a KPI. */
const kpi_denominator *kpi_denominator_of(const char *kpi);

#endif
