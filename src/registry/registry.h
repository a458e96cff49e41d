/* The registry's order and selection, from the declarations alone. */
#ifndef MM_REGISTRY_H
#define MM_REGISTRY_H

/* Topological order of all models (ties by declaration order). order must
 * hold model_total() entries. Returns 0, or -1 on a cycle or unknown upstream. */
int models_order(int *order);
/* Parses MODEL, MODEL+, +MODEL or +MODEL+ (comma separated lists allowed)
 * into sel[model_total()]. NULL selects every model. Returns 0, or -1 after
 * printing an error for an unknown model. */
int models_select(const char *expr, int *sel);

#endif
