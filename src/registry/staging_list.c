/* Staging models, in declaration order. */
#include "registry/model.h"

extern const model_def model_stg_patients, model_stg_organisations, model_stg_providers, model_stg_encounters,
	model_stg_conditions, model_stg_procedures, model_stg_careplans, model_stg_pathways, model_stg_appointments,
	model_stg_sessions;

const model_def *const staging_models[] = {
	&model_stg_patients,
	&model_stg_organisations,
	&model_stg_providers,
	&model_stg_encounters,
	&model_stg_conditions,
	&model_stg_procedures,
	&model_stg_careplans,
	&model_stg_pathways,
	&model_stg_appointments,
	&model_stg_sessions,
	NULL,
};
