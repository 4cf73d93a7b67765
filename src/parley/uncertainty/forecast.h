// "Is a deal near?": the probability that a session reaches agreement by its deadline, judged
// from the record so far, and whether the gaps between the parties are narrowing.
//
// Gaps. At every time some principal offered, the latest offers of the principals are compared
// with analysis::ComputeOfferGaps (per issue and overall; the mean over pairs with three or more
// principals). Each series' trend is the Theil-Sen slope per round (or per day with dates) and
// the Mann-Kendall one-sided test for a decreasing trend; `narrowing` when p < 0.05.
//
// Agreement. Two principals: a concession model (each party's offers fitted by time-dependent
// concession toward its reservation value, or holding firm; offers valued on the Pareto frontier
// less the shortfall seen; agreement at the first round one party's offer meets the other's
// target). More principals: the acceptance gap (the smallest shortfall of an offer on the table
// against what the others ask) extrapolated by time-dependent concession. Either way times the
// probability that a zone of agreement exists; intervals by a Bayesian bootstrap of the offers.
// docs/uncertainty.md states both models in full. Nothing at or after `at_round` is used.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parley/model/record.h"
#include "parley/model/scenario.h"
#include "parley/uncertainty/statistics.h"

namespace parley::uncertainty {

struct ForecastOptions {
  std::optional<int> at_round;       // use only observations before this round (or this day index)
  std::vector<std::size_t> parties;  // principals compared; empty: every enabled principal
  // Probability that a zone of agreement exists; absent: decided exactly from the scenario.
  std::optional<Probability> zone_probability;
  double confidence = 0.95;
  double noise = 0.05;             // acceptance-gap model
  double concession_noise = 0.03;  // concession model: sd of offers around the fitted curve
  // Concession model: prior probability that a party holds firm to the end, and the same for a
  // party that conceded at first but not over the second half of what was seen (it then holds
  // at its latest level).
  double firm_prior = 0.2;
  double firm_prior_stalled = 0.5;
  // Two principals: the concession model's probability p is combined with the evidence of how
  // the parties move (ForecastEvidence) by a logistic model,
  //   logit P = intercept + model logit(p) + need min(need) + conceded min(conceded)
  //             + novelty min(novelty) + unmoved [some party has conceded nothing],
  // logit(p) with p clamped to [0.02, 0.98]. The coefficients were fitted on a development set
  // of sessions disjoint from the evaluation (docs/uncertainty.md, docs/performance.md).
  struct Calibration {
    bool enabled = true;
    double intercept = 4.412;
    double model = 0.407;
    double need = -1.384;
    double conceded = 4.034;
    double novelty = -4.520;
    double unmoved = -2.975;
  };
  Calibration calibration;
  int bootstrap = 200;
  std::uint64_t seed = 1;
};

// What the record shows of how the two principals move (two principals, concession model only):
// the features the calibrated forecast combines (docs/uncertainty.md). Shares of a party's range
// are of the way from its opening offer's utility to its reservation value.
struct ForecastEvidence {
  bool available = false;
  std::size_t party_idx[2] = {0, 0};  // the two principals, in the order of the arrays below
  double model_probability = 0;       // the concession model's probability, before calibration
  double conceded[2] = {0, 0};        // share of its range each party has conceded by the cut
  double recent[2] = {0, 0};          // ... conceded over the second half of the observed window
  double novelty[2] = {0, 0};         // share of its offers in that half that differ from the last
  double reactivity = 0;  // lagged correlation of concession steps (one's after the other's)
  // Share of its range each party would still have to concede to accept the other's latest offer
  // (above 1: that offer is worth less to it than its reservation value); at most 2.
  double need[2] = {0, 0};
  bool unmoved = false;   // some party has conceded nothing (less than 0.5% of its range)
  double gap_closed = 0;  // share of the first acceptance gap closed by the cut
  double pace = 0;        // recent closing rate x remaining time / gap at the cut
};

struct GapTrend {
  std::optional<std::size_t> issue_idx;  // absent: overall
  Trend trend;
  bool narrowing = false;
  double first_gap = 0;
  double latest_gap = 0;
};

struct Forecast {
  std::string method = "acceptance_gap";  // or "concession"
  Probability agreement_probability;
  Probability gap_closes;  // P(d_end <= 0), before the zone factor
  Probability zone_probability;
  std::optional<double> expected_round;  // on the round scale (fractional)
  std::string expected_date;             // with dates
  int cut_round = 0;                     // first round not used
  double cut_time = 0;                   // relative time of the cut
  int deadline_round = 0;
  std::string deadline_date;
  std::size_t observations_used = 0;
  std::size_t gap_points = 0;
  double acceptance_gap = 0;  // at the cut
  std::vector<GapTrend> issues;
  GapTrend overall;
  ForecastEvidence evidence;
  // The series behind the trends and the model, for charts: positions are rounds (or days since
  // the start), gaps the overall gap and the acceptance gap there.
  std::vector<double> gap_positions;
  std::vector<double> overall_gaps;
  std::vector<double> acceptance_positions;
  std::vector<double> acceptance_gaps;
  std::string summary;
  std::vector<std::string> warnings;
};

// Errors: kInvalidInput when fewer than two principals have preferences or the record has no
// deadline.
Result<Forecast> ForecastAgreement(const model::Scenario& scenario, const model::Record& record,
                                   const ForecastOptions& options);

}  // namespace parley::uncertainty
