// Learning preferences from the record: a posterior over the uncertain parameters given what
// each party was seen to offer and accept.
//
// Likelihood (docs/uncertainty.md states it with its reasons). For each analysed party with
// observations, with x_k its sampled utility of its k-th offer or position in time order (a
// position's unnamed issues take the party's best option, as a stand on some issues leaves the
// rest open), u_max its best utility and r its reservation value:
//   1. reservation: a party does not offer or accept what is worth less to it than walking away:
//      each offer, position and acceptance contributes Phi((x_k - r) / sigma_r);
//   2. red lines: an offer or acceptance that crosses one of the party's own firm red lines has
//      probability epsilon (a firm red line is rarely crossed; one that is crossed is likely soft);
//   3. concession: a party's offers concede over time: the sequence u_max, x_1, x_2, ... is
//      non-increasing up to Gaussian noise of scale sigma_c. The trend is the best non-increasing
//      fit (isotonic regression, pool-adjacent-violators), and the term is
//      exp(-RSS / (2 sigma_c^2)) for its residual sum of squares;
//   4. time-dependent concession (Faratin et al. 1998): the offers lie near one curve
//      r + (u_max - r)(1 - t^(1/e)), Gaussian with sd sigma_t, the exponent e averaged over 16
//      values log-spaced in [0.05, 20].
// Defaults: sigma_r = 0.05, epsilon = 0.02, sigma_c = 0.05, sigma_t = 0.035 (sigma_t chosen on
// the calibration benchmark, docs/performance.md).
//
// The posterior is computed by sequential Monte Carlo with likelihood tempering (Del Moral,
// Doucet & Jasra 2006): the prior samples are reweighted along a ladder of temperatures chosen so
// that each step keeps half the effective sample size, resampled (systematic), and moved by
// Metropolis-Hastings random-walk steps (parameters that the record does not bear on are redrawn
// from their prior). The result is equally weighted samples of the posterior, so the robust
// analysis can run on them unchanged. Same seed, same posterior on any number of threads.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "parley/model/record.h"
#include "parley/uncertainty/parameters.h"
#include "parley/uncertainty/statistics.h"

namespace parley::uncertainty {

struct LearningOptions {
  std::uint64_t seed = 1;
  int threads = 0;
  int moves_per_stage = 8;
  double reservation_scale = 0.05;  // sigma_r
  double concession_scale = 0.05;   // sigma_c
  double red_line_epsilon = 0.02;
  // Term 4: the offers follow one time-dependent concession curve (sd curve_scale).
  bool concession_curve = true;
  double curve_scale = 0.035;
  double interval_mass = 0.9;  // prior and posterior intervals per parameter
  std::stop_token stop;
};

struct LearnedParameter {
  std::size_t parameter = 0;  // index into ParameterSet::parameters()
  std::string name;
  Summary prior;
  Summary posterior;
};

struct Posterior {
  std::vector<std::vector<double>> samples;  // equally weighted
  std::vector<LearnedParameter> parameters;  // every parameter, in ParameterSet order
  std::size_t observations_used = 0;
  std::vector<std::string> parties_observed;  // ids
  int stages = 0;
  double smallest_effective_samples = 0;  // over the tempering steps, before resampling
  double acceptance_rate = 0;             // of the Metropolis-Hastings moves
  std::vector<std::string> warnings;
};

// The log likelihood of one materialised sample (for tests and diagnostics).
double LogLikelihood(const ParameterSet& set, const model::Record& record,
                     const SampledUtilities& utilities, const LearningOptions& options);

// Errors: kInvalidInput when the record names no analysed party's offers; kCancelled on request.
Result<Posterior> LearnFromRecord(const ParameterSet& set, const model::Record& record,
                                  const std::vector<std::vector<double>>& prior_samples,
                                  const LearningOptions& options);

}  // namespace parley::uncertainty
