/* Mart models, in declaration order. */
#include "models/model.h"

const model_def *const mart_models[] = {
	NULL,
};
