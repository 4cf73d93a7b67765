// Semantic validation of a scenario, independent of the file format it came from.
//
// Readers build a Scenario, then call ValidateScenario before handing it out, so nothing is ever
// half-loaded. Errors are kInvalidInput with `location.field` set to the schema path of the
// offending value (e.g. "parties.israel.preferences.weights.ceasefire"), which readers translate
// into file, line and column.
#pragma once

#include "parley/base/status.h"
#include "parley/model/scenario.h"

namespace parley::model {

// Checks: ids non-empty and unique (issues, options within an issue, parties, phases); every issue
// has at least one option; numeric ranges well formed (lower <= upper, step > 0, at most 2^32
// options per issue); weights finite and non-negative; value tables sized to their issue with
// values finite (parley files additionally require [0, 1], checked by the parley reader); phases
// name existing issues and each issue is settled by at most one phase; reservation outcomes valid;
// red-line expressions reference existing issues; discount in (0, 1]; at least one party.
Status ValidateScenario(const Scenario& scenario);

}  // namespace parley::model
