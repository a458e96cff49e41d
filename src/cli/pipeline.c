#include "cli/opts.h"
#include "load/load.h"
#include "util/diag.h"

int cmd_pipeline(const struct mm_opts *o)
{
	sources s;
	int rc = sources_load(&s, o->data);
	sources_free(&s);
	return rc;
}
