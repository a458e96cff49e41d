/* The declaration of the kpi_summary tables that th_kpi_table (helpers.h)
 * makes: its columns with the roles kpi_summary declares, so that tests
 * read them as a declared mart. */
#ifndef TH_KPI_DECL_H
#define TH_KPI_DECL_H
#include "registry/model.h"

static const model_col th_kpi_cols[] = {
	{"kpi", T_STR, "KPI", "", "", CR_CODE},		{"label", T_STR, "Name", "", "", CR_LABEL},
	{"value", T_NUM, "Value", "", "", CR_MEASURE},	{"unit", T_STR, "Unit", "", "", CR_CODE},
	{"standard", T_NUM, "Standard", "", "", CR_MEASURE}, {"direction", T_STR, "Direction", "", "", CR_CODE},
	{"status", T_STR, "Status", "", "", CR_CODE},	{"definition", T_STR, "Definition", "", "", CR_LABEL},
};
static const model_def th_kpi_def = {"kpi_summary", LAYER_MART, "KPIs", NULL, th_kpi_cols, 8, NULL, NULL, 0};

#endif
