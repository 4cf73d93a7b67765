// Robust analysis: how the verdict "is a deal possible?" fares across plausible preferences.
//
// Draws samples of the uncertain parameters (parameters.h) and, for each, decides exactly whether
// a zone of agreement exists (zone.h): an outcome giving every analysed party at least its
// reservation value and crossing no firm red line. From the samples:
// - zopa_probability: the share of samples with a zone, with a Wilson interval;
// - robust packages: the outcomes every analysed party accepts in the largest share of samples.
//   On spaces where outcomes x samples <= 2e7 every outcome is counted (method "enumeration");
//   otherwise the candidates are each sample's most robust outcome (the one maximising the
//   smallest surplus over reservation values), refined by hill climbing (one issue changed at a
//   time) on the share of samples accepting them (method "search": the shares reported are exact,
//   the best package may be missed);
// - sensitivity: for each parameter, the probability of a zone when it lies in the lowest third
//   of its sampled values and when it lies in the highest third (red lines: when firm and when
//   not), and the difference with Newcombe's interval, ranked by the size of the difference.
// Samples are equally weighted (a posterior is resampled before it comes here). Same seed, same
// answer on any number of threads.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "parley/uncertainty/parameters.h"
#include "parley/uncertainty/statistics.h"
#include "parley/uncertainty/zone.h"

namespace parley::uncertainty {

struct RobustOptions {
  std::uint64_t samples = 1000;
  std::uint64_t seed = 1;
  double confidence = 0.95;
  int threads = 0;  // 0: all cores
  std::size_t max_packages = 5;
  // Robust packages are counted for every outcome when outcomes x samples is at most this.
  double max_enumerated_pairs = 2e7;
  std::stop_token stop;
};

struct RobustPackage {
  model::Outcome outcome;
  Probability probability;  // share of samples in which every analysed party accepts it
};

struct Sensitivity {
  std::size_t parameter = 0;  // index into ParameterSet::parameters()
  std::string name;
  std::string words;           // "Hamas's red line 'full military withdrawal'"
  std::string low_condition;   // "in the lowest third (0.1 to 0.2)" or "firm"
  std::string high_condition;  // "in the highest third (0.3 to 0.4)" or "not firm"
  Probability low;             // probability of a zone under the low condition
  Probability high;
  Probability effect;  // high - low
};

struct RobustAnalysis {
  std::uint64_t samples = 0;
  std::uint64_t seed = 0;
  double confidence = 0.95;
  double spread = 0;
  std::size_t num_parameters = 0;
  Probability zopa_probability;
  std::vector<RobustPackage> packages;
  std::string packages_method;           // "enumeration" or "search"
  std::vector<Sensitivity> sensitivity;  // largest |effect| first
  std::string summary;                   // "A deal is possible in 23% of plausible cases (...)"
  std::string depends_on;                // "Whether a deal is possible depends most on ..."
  std::vector<std::string> warnings;     // e.g. too few samples for the interval asked for
  std::vector<bool> zone_exists;         // per sample
};

// Samples from the prior, one row per sample. Once `stop` is requested the rows not yet drawn
// stay empty: a caller that passes a token checks it before using the rows (AnalyzeRobustness
// does, and answers kCancelled).
std::vector<std::vector<double>> DrawPriorSamples(const ParameterSet& set, std::uint64_t count,
                                                  std::uint64_t seed, int threads,
                                                  const std::stop_token& stop = {});

// The analysis of given samples (prior or posterior). Errors: kCancelled on request.
Result<RobustAnalysis> AnalyzeRobustness(const ParameterSet& set, const ZoneSolver& solver,
                                         const std::vector<std::vector<double>>& samples,
                                         const RobustOptions& options);

// Draws options.samples prior samples and analyses them. Errors: as ParameterSet::Build and
// ZoneSolver::Build; kInvalidInput when there are no samples or the confidence is not in (0, 1).
Result<RobustAnalysis> AnalyzeUncertainty(const model::Scenario& scenario,
                                          const std::vector<std::size_t>& parties, double spread,
                                          const RobustOptions& options);

}  // namespace parley::uncertainty
