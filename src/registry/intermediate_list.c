/* Intermediate models, in declaration order. */
#include "registry/model.h"

extern const model_def model_int_patient_comorbidities;
extern const model_def model_int_patient_admissions;
extern const model_def model_int_patient_engagement;
extern const model_def model_int_pathway_events;
extern const model_def model_int_waitlist_census;
extern const model_def model_int_area_trend;
extern const model_def model_int_capacity_weekly;

const model_def *const intermediate_models[] = {
	&model_int_patient_comorbidities,
	&model_int_patient_admissions,
	&model_int_patient_engagement,
	&model_int_pathway_events,
	&model_int_waitlist_census,
	&model_int_area_trend,
	&model_int_capacity_weekly,
	NULL,
};
