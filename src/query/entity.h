/* The entities of templated pages and packs: a template named
 * [trust_code].md renders once per distinct trust_code of the table the
 * entities come from. The site and the packs list them the same way. */
#ifndef MM_ENTITY_H
#define MM_ENTITY_H
#include <stddef.h>
#include "template/template.h"

/* The table entities of param come from: a dimension that has the column,
 * else the first mart, else any table; NULL if none has it. */
const tpl_source *entity_source(const tpl_catalog *cat, const char *param);
/* Distinct non-empty values of param in src, sorted by strcmp, into *keys
 * (strings borrowed from the table) with the first row of each in *rows.
 * Returns how many. Caller frees *keys and *rows (not the strings). */
size_t entity_keys(const tpl_source *src, const char *param, char ***keys, size_t **rows);
/* The column that names an entity: trust_code -> trust_name when src has
 * it, treatment_function -> specialty, else param itself. The string is
 * valid until the next call. */
const char *entity_label_col(const tpl_source *src, const char *param);

#endif
