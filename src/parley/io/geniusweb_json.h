// GeniusWeb JSON: the domain and profile files of the GeniusWeb negotiation platform (TU Delft),
// read into and written from parley's Scenario. The readers and the writer are declared in
// scenario_io.h (ReadGeniusWebFiles, ReadGeniusWebFolder, CheckGeniusWebExpressible,
// WriteGeniusWebFolder); this header adds the content check the generic loader uses.
//
// Files (GeniusWeb's own JSON, as its Java and Python libraries serialise it):
//   domain:  {"name": "jobs",
//             "issuesValues": {"salary": {"values": ["2000", "3000"]},
//                              "days":   {"range": {"low": 1, "high": 5, "step": 1}}}}
//   profile: {"LinearAdditiveUtilitySpace": {
//              "issueUtilities": {
//                "salary": {"discreteutils": {"valueUtilities": {"2000": 0.2, "3000": 1}}},
//                "days":   {"numberutils": {"lowValue": 1, "lowUtility": 0,
//                                           "highValue": 5, "highUtility": 1}}},
//              "issueWeights": {"salary": 0.7, "days": 0.3},
//              "domain": {... the domain object, embedded ...},
//              "name": "jobs1",
//              "reservationBid": {"issuevalues": {"salary": "2000", "days": 2}}}}
// The older class-name spellings "DiscreteValueSetUtilities" / "NumberValueSetUtilities" are
// read as "discreteutils" / "numberutils".
//
// Reading follows GeniusWeb's semantics:
// - Issues keep the order of the domain's "issuesValues" object as written in the file (parsed
//   with nlohmann::ordered_json); options keep the order of each "values" list.
// - A range whose low and high are integers and whose step is 1 becomes an integer issue; any
//   other range becomes a real issue low, low + step, ... <= high (the last value may fall short
//   of high, as in GeniusWeb's Range).
// - Utilities are used as given: utility = sum of weight * value utility, nothing normalised.
//   GeniusWeb itself demands weights summing to 1 and value utilities in [0, 1]; parley reads
//   profiles that break those rules (they are still well-defined) and refuses only to write them.
// - numberutils interpolates linearly between (lowValue, lowUtility) and (highValue,
//   highUtility) and gives 0 outside [lowValue, highValue] (GeniusWeb's NumberValueSetUtilities).
//   GeniusWeb requires lowValue/highValue to equal the range's low/high; then the value function
//   is kept as parley's `linear` form; otherwise it is tabulated with the 0-outside rule.
//   GeniusWeb rounds interpolated utilities to 8 decimals; parley does not (the difference is
//   below 5e-9).
// - Discrete valueUtilities must list exactly the domain's values of the issue (as GeniusWeb's
//   isFitting demands); issueUtilities and issueWeights must name exactly the domain's issues.
// - reservationBid (optional, may be null) names one value per issue: the party's reservation
//   outcome, whose utility becomes its reservation value. A partial bid (GeniusWeb allows them)
//   sets only the reservation value: the sum over the issues it names, missing issues counting 0.
// - A profile's embedded "domain" (or a domain name given as a string) must match the domain file.
// - Parties: one principal per profile; id = the profile's "name" when present and unique among
//   the profiles, else the file stem. A folder's profiles are taken in file-name order.
//
// Writing (CheckGeniusWebExpressible says why a scenario cannot be written):
// - Only enabled parties with preferences are written; others (observers, mediators without
//   preferences, disabled parties) are skipped. At least one must remain.
// - Every written party needs an additive utility (no hyper-rectangles), no red lines, no
//   discount, and a reservation given as an outcome (or none, or a reservation value of 0).
// - Utilities are re-expressed exactly in GeniusWeb's form: when weights already sum to 1
//   (within 1e-12), values lie in [0, 1] and there is no offset, they are written as they are.
//   Otherwise each issue's contribution weight * value is shifted so its minimum is 0, the
//   offset plus the shifts (the minimum utility) is added to the first issue, and each issue's
//   weight becomes its largest contribution plus an equal share of what is left up to 1. This is
//   possible exactly when every outcome's utility lies in [0, 1] (within 1e-9), and keeps every
//   outcome's utility (to rounding error, far below 1e-9).
// - Weights are written with at most 15 decimals so that they sum to exactly 1 as decimals, as
//   GeniusWeb checks with BigDecimal arithmetic; other numbers use the shortest text that reads
//   back as the same double.
// - A numeric issue is written as a range when every written party's values on it are linear in
//   the number (numberutils); otherwise it is written as a discrete value set whose labels
//   are the numbers (at most 10000 options), so utilities survive although the issue becomes
//   discrete.
// - GeniusWeb wants simple names (letters and digits): the domain's and each profile's "name"
//   drop other characters (a profile name is made unique if needed). File names are
//   <scenario name>.json and <scenario name>_<party id>.json with characters other than letters,
//   digits, '.', '-' and '_' replaced by '_'.
// - Lost without refusal (GeniusWeb has no place for them): descriptions, units, option order
//   flags, phases, provenance, meta data, party names and roles.
#pragma once

#include <string>

namespace parley::io {

enum class GeniusWebFileKind {
  kDomain,   // an object with "issuesValues"
  kProfile,  // an object wrapping a GeniusWeb profile type (LinearAdditiveUtilitySpace, ...)
  kOther,    // anything else, including text that is not valid JSON
};

// Tells GeniusWeb domain and profile files from other JSON by content, never by name. Never
// throws; invalid JSON is kOther.
GeniusWebFileKind ClassifyGeniusWebJson(const std::string& text);

}  // namespace parley::io
