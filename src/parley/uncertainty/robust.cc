#include "parley/uncertainty/robust.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <numeric>

#include "parley/base/strings.h"
#include "parley/model/outcome_space.h"
#include "parley/uncertainty/internal/parallel.h"

namespace parley::uncertainty {
namespace {

constexpr double kTolerance = 1e-12;
// Samples' contribution tables are kept for package search up to this many numbers (256 MiB).
constexpr std::size_t kMaxStoredNumbers = 32'000'000;

// Per-sample utilities kept for evaluating many outcomes quickly.
struct StoredUtilities {
  std::size_t num_parties = 0;
  std::size_t table_size = 0;
  std::vector<double> contribution;  // [sample][party][table]
  std::vector<double> offset;        // [sample][party]
  std::vector<double> reservation;   // [sample][party]
  std::vector<std::uint64_t> firm;   // [sample][party]
};

// How many samples accept each outcome. Errors: kCancelled when `stop` is requested.
Result<std::vector<std::uint64_t>> CountAcceptances(const ParameterSet& set,
                                                    const ZoneSolver& solver,
                                                    const StoredUtilities& stored,
                                                    std::size_t num_samples,
                                                    const std::vector<model::Outcome>& outcomes,
                                                    int threads, const std::stop_token& stop) {
  std::vector<std::uint64_t> counts(outcomes.size(), 0);
  const std::vector<std::size_t>& offsets = set.offsets();
  const std::size_t num_parties = stored.num_parties;
  std::atomic<bool> cancelled{false};
  internal::ParallelChunks(outcomes.size(), 16, threads, [&](std::size_t begin, std::size_t end) {
    if (stop.stop_requested()) {
      cancelled = true;
      return;
    }
    for (std::size_t outcome_idx = begin; outcome_idx < end; ++outcome_idx) {
      const model::Outcome& outcome = outcomes[outcome_idx];
      std::vector<std::uint64_t> crossed = solver.CrossedRedLines(outcome);
      std::uint64_t count = 0;
      for (std::size_t sample = 0; sample < num_samples; ++sample) {
        bool accepted = true;
        for (std::size_t party = 0; party < num_parties && accepted; ++party) {
          const std::size_t row = sample * num_parties + party;
          if (crossed[party] & stored.firm[row]) {
            accepted = false;
            break;
          }
          const double* table = stored.contribution.data() + row * stored.table_size;
          double utility = stored.offset[row];
          for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
            utility += table[offsets[issue_idx] + outcome[issue_idx]];
          }
          accepted = utility >= stored.reservation[row] - kTolerance;
        }
        if (accepted) ++count;
      }
      counts[outcome_idx] = count;
    }
  });
  if (cancelled) return Status(ErrorCode::kCancelled, "robust analysis cancelled");
  return counts;
}

std::string ZoneSummary(const Probability& probability, std::uint64_t samples, double confidence) {
  const std::string interval =
      fmt::format("{} interval {} to {}", FormatPercent(confidence), FormatPercent(probability.low),
                  FormatPercent(probability.high));
  if (probability.estimate <= 0) {
    return fmt::format("A deal is possible in none of the {} plausible cases drawn ({}).",
                       GroupThousands(samples), interval);
  }
  if (probability.estimate >= 1) {
    return fmt::format("A deal is possible in every one of the {} plausible cases drawn ({}).",
                       GroupThousands(samples), interval);
  }
  return fmt::format("A deal is possible in {} of plausible cases ({}, {} samples).",
                     FormatPercent(probability.estimate), interval, GroupThousands(samples));
}

Status Cancelled() { return Status(ErrorCode::kCancelled, "robust analysis cancelled"); }

// What solving every sample leaves: whether it has a zone, its most robust outcome, the values
// of the parameters as reported, and (when they fit in kMaxStoredNumbers) its utility tables
// for counting acceptances quickly.
struct SolvedSamples {
  StoredUtilities stored;
  bool store = false;
  std::vector<double> reported;  // [sample][parameter]
  std::vector<std::optional<model::Outcome>> best;
  std::vector<char> exists;
};

void StoreUtilities(const SampledUtilities& utilities, std::size_t sample,
                    StoredUtilities& stored) {
  for (std::size_t party = 0; party < stored.num_parties; ++party) {
    const std::size_t row = sample * stored.num_parties + party;
    const PartyUtilities& source = utilities.parties[party];
    std::copy(source.contribution.begin(), source.contribution.end(),
              stored.contribution.begin() + static_cast<std::ptrdiff_t>(row * stored.table_size));
    stored.offset[row] = source.offset;
    stored.reservation[row] = source.reservation;
    stored.firm[row] = source.firm_red_lines;
  }
}

// Decides for each sample whether a zone exists. Errors: kCancelled on request.
Result<SolvedSamples> SolveSamples(const ParameterSet& set, const ZoneSolver& solver,
                                   const std::vector<std::vector<double>>& samples,
                                   const RobustOptions& options) {
  const std::size_t num_samples = samples.size();
  const std::size_t num_parameters = set.parameters().size();
  const std::size_t num_parties = set.parties().size();
  SolvedSamples solved;
  StoredUtilities& stored = solved.stored;
  stored.num_parties = num_parties;
  stored.table_size = set.TableSize();
  solved.store =
      num_samples * num_parties * std::max<std::size_t>(stored.table_size, 1) <= kMaxStoredNumbers;
  if (solved.store) {
    stored.contribution.resize(num_samples * num_parties * stored.table_size);
    stored.offset.resize(num_samples * num_parties);
    stored.reservation.resize(num_samples * num_parties);
    stored.firm.resize(num_samples * num_parties);
  }
  solved.reported.resize(num_samples * num_parameters);
  solved.best.resize(num_samples);
  solved.exists.assign(num_samples, 0);
  std::atomic<bool> cancelled{false};
  internal::ParallelChunks(
      num_samples, 64, options.threads, [&](std::size_t begin, std::size_t end) {
        ZoneWorkspace workspace;
        SampledUtilities utilities;
        for (std::size_t sample = begin; sample < end; ++sample) {
          // Per sample: one sample of a space whose red lines tie issues together can take a
          // good part of a second.
          if (options.stop.stop_requested()) {
            cancelled = true;
            return;
          }
          set.Materialize(samples[sample], utilities);
          ZoneSolver::Answer answer = solver.Solve(utilities, workspace);
          solved.exists[sample] = answer.exists ? 1 : 0;
          if (answer.exists) solved.best[sample] = std::move(answer.best);
          std::copy(utilities.reported.begin(), utilities.reported.end(),
                    solved.reported.begin() + static_cast<std::ptrdiff_t>(sample * num_parameters));
          if (solved.store) StoreUtilities(utilities, sample, stored);
        }
      });
  if (cancelled) return Cancelled();
  return solved;
}

// Outcomes evaluated as robust packages, with how many samples accept each.
struct CountedOutcomes {
  std::vector<model::Outcome> outcomes;
  std::vector<std::uint64_t> counts;
};

// Every outcome of the space, counted.
Result<CountedOutcomes> CountEveryOutcome(const ParameterSet& set, const ZoneSolver& solver,
                                          const SolvedSamples& solved, std::size_t num_samples,
                                          const model::OutcomeSpace& space,
                                          std::uint64_t space_count, const RobustOptions& options) {
  CountedOutcomes counted;
  counted.outcomes.reserve(space_count);
  for (std::uint64_t index = 0; index < space_count; ++index) {
    counted.outcomes.push_back(space.OutcomeAt(index));
  }
  PARLEY_ASSIGN_OR_RETURN(
      counted.counts, CountAcceptances(set, solver, solved.stored, num_samples, counted.outcomes,
                                       options.threads, options.stop));
  return counted;
}

// The search for robust packages: counts the samples accepting outcomes (from the stored tables,
// or by materialising each sample again when they did not fit) and remembers every count.
struct PackageSearch {
  const ParameterSet& set;
  const ZoneSolver& solver;
  const std::vector<std::vector<double>>& samples;
  const SolvedSamples& solved;
  const RobustOptions& options;
  std::map<model::Outcome, std::uint64_t> known;

  Result<std::vector<std::uint64_t>> CountByMaterializing(
      const std::vector<model::Outcome>& outcomes) const {
    std::vector<std::uint64_t> result(outcomes.size(), 0);
    SampledUtilities utilities;
    for (std::size_t sample = 0; sample < samples.size(); ++sample) {
      if (sample % 256 == 0 && options.stop.stop_requested()) return Cancelled();
      set.Materialize(samples[sample], utilities);
      for (std::size_t idx = 0; idx < outcomes.size(); ++idx) {
        if (solver.Accepts(utilities, outcomes[idx])) ++result[idx];
      }
    }
    return result;
  }

  Result<std::vector<std::uint64_t>> Count(const std::vector<model::Outcome>& outcomes) {
    std::vector<std::uint64_t> result;
    if (solved.store) {
      PARLEY_ASSIGN_OR_RETURN(result, CountAcceptances(set, solver, solved.stored, samples.size(),
                                                       outcomes, options.threads, options.stop));
    } else {
      PARLEY_ASSIGN_OR_RETURN(result, CountByMaterializing(outcomes));
    }
    for (std::size_t idx = 0; idx < outcomes.size(); ++idx) known[outcomes[idx]] = result[idx];
    return result;
  }

  // The outcomes one issue away from `current` not counted yet.
  std::vector<model::Outcome> UnknownNeighbours(const model::Outcome& current,
                                                const model::OutcomeSpace& space) const {
    std::vector<model::Outcome> neighbours;
    for (std::size_t issue_idx = 0; issue_idx < current.size(); ++issue_idx) {
      for (std::uint64_t option = 0; option < space.Cardinality(issue_idx); ++option) {
        if (option == current[issue_idx]) continue;
        model::Outcome neighbour = current;
        neighbour[issue_idx] = static_cast<model::OptionIndex>(option);
        if (known.count(neighbour) == 0) neighbours.push_back(std::move(neighbour));
      }
    }
    return neighbours;
  }

  // Hill climbing from `current`: change one issue at a time while the share of accepting
  // samples grows (at most 100 steps).
  Status Climb(model::Outcome current, std::uint64_t current_count,
               const model::OutcomeSpace& space) {
    for (int step = 0; step < 100; ++step) {
      if (options.stop.stop_requested()) return Cancelled();
      std::vector<model::Outcome> neighbours = UnknownNeighbours(current, space);
      if (neighbours.empty()) break;
      PARLEY_ASSIGN_OR_RETURN(std::vector<std::uint64_t> neighbour_counts, Count(neighbours));
      std::size_t best_idx = neighbours.size();
      for (std::size_t idx = 0; idx < neighbours.size(); ++idx) {
        if (neighbour_counts[idx] > current_count &&
            (best_idx == neighbours.size() || neighbour_counts[idx] > neighbour_counts[best_idx])) {
          best_idx = idx;
        }
      }
      if (best_idx == neighbours.size()) break;
      current = neighbours[best_idx];
      current_count = neighbour_counts[best_idx];
    }
    return Status();
  }
};

// The samples' most robust outcomes, the most frequent first (at most 16).
std::vector<model::Outcome> FrequentBest(const std::vector<std::optional<model::Outcome>>& best) {
  std::map<model::Outcome, std::uint64_t> picked;
  for (const auto& outcome : best) {
    if (outcome) ++picked[*outcome];
  }
  std::vector<std::pair<model::Outcome, std::uint64_t>> ranked(picked.begin(), picked.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (ranked.size() > 16) ranked.resize(16);
  std::vector<model::Outcome> batch;
  for (const auto& [outcome, count] : ranked) batch.push_back(outcome);
  return batch;
}

// The samples' most robust outcomes, refined (with stored tables) by hill climbing from the
// four most frequent.
Result<CountedOutcomes> SearchPackages(const ParameterSet& set, const ZoneSolver& solver,
                                       const std::vector<std::vector<double>>& samples,
                                       const SolvedSamples& solved,
                                       const model::OutcomeSpace& space,
                                       const RobustOptions& options) {
  PackageSearch search{set, solver, samples, solved, options, {}};
  const std::vector<model::Outcome> batch = FrequentBest(solved.best);
  PARLEY_ASSIGN_OR_RETURN(std::vector<std::uint64_t> batch_counts, search.Count(batch));
  if (solved.store) {
    std::vector<std::size_t> starts(batch.size());
    std::iota(starts.begin(), starts.end(), 0);
    std::stable_sort(starts.begin(), starts.end(), [&](std::size_t a, std::size_t b) {
      return batch_counts[a] > batch_counts[b];
    });
    if (starts.size() > 4) starts.resize(4);
    for (std::size_t start : starts) {
      PARLEY_RETURN_IF_ERROR(search.Climb(batch[start], batch_counts[start], space));
    }
  }
  CountedOutcomes counted;
  for (const auto& [outcome, count] : search.known) {
    counted.outcomes.push_back(outcome);
    counted.counts.push_back(count);
  }
  return counted;
}

// The robust packages, most often accepted first, and the method that found them.
Result<std::vector<RobustPackage>> FindPackages(const ParameterSet& set, const ZoneSolver& solver,
                                                const std::vector<std::vector<double>>& samples,
                                                const SolvedSamples& solved,
                                                std::uint64_t with_zone,
                                                const RobustOptions& options, std::string& method) {
  const std::size_t num_samples = samples.size();
  const double n = static_cast<double>(num_samples);
  model::OutcomeSpace space = set.scenario().BuildOutcomeSpace();
  CountedOutcomes counted;
  std::optional<std::uint64_t> space_count = space.Count64();
  if (solved.store && space_count &&
      static_cast<double>(*space_count) * n <= options.max_enumerated_pairs) {
    method = "enumeration";
    PARLEY_ASSIGN_OR_RETURN(
        counted, CountEveryOutcome(set, solver, solved, num_samples, space, *space_count, options));
  } else {
    method = "search";
    if (with_zone > 0) {
      PARLEY_ASSIGN_OR_RETURN(counted,
                              SearchPackages(set, solver, samples, solved, space, options));
    }
  }
  const std::vector<model::Outcome>& evaluated = counted.outcomes;
  const std::vector<std::uint64_t>& counts = counted.counts;
  std::vector<std::size_t> order(evaluated.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return counts[a] > counts[b] || (counts[a] == counts[b] && evaluated[a] < evaluated[b]);
  });
  std::vector<RobustPackage> packages;
  for (std::size_t idx : order) {
    if (packages.size() >= options.max_packages || counts[idx] == 0) break;
    packages.push_back(
        {evaluated[idx], WilsonInterval(static_cast<double>(counts[idx]), n, options.confidence)});
  }
  return packages;
}

// Samples with a zone, and samples in all, under a parameter's low and high conditions.
struct ConditionCounts {
  double low_hits = 0;
  double low_count = 0;
  double high_hits = 0;
  double high_count = 0;
};

// A red line: firm (low) or not (high).
ConditionCounts CountByFirmness(const SolvedSamples& solved, std::size_t num_parameters,
                                std::size_t parameter_idx, Sensitivity& entry) {
  entry.low_condition = "firm";
  entry.high_condition = "not firm";
  ConditionCounts counts;
  for (std::size_t sample = 0; sample < solved.exists.size(); ++sample) {
    bool firm = solved.reported[sample * num_parameters + parameter_idx] >= 0.5;
    (firm ? counts.low_count : counts.high_count) += 1;
    if (solved.exists[sample]) (firm ? counts.low_hits : counts.high_hits) += 1;
  }
  return counts;
}

// A range: its lowest and highest third of sampled values. `sample_order` is scratch space.
ConditionCounts CountByThirds(const SolvedSamples& solved, std::size_t num_parameters,
                              std::size_t parameter_idx, std::vector<std::size_t>& sample_order,
                              Sensitivity& entry) {
  const std::size_t num_samples = solved.exists.size();
  const std::size_t third = num_samples / 3;
  const std::vector<double>& reported = solved.reported;
  std::iota(sample_order.begin(), sample_order.end(), 0);
  std::stable_sort(sample_order.begin(), sample_order.end(), [&](std::size_t a, std::size_t b) {
    return reported[a * num_parameters + parameter_idx] <
           reported[b * num_parameters + parameter_idx];
  });
  ConditionCounts counts;
  for (std::size_t rank = 0; rank < third; ++rank) {
    counts.low_hits += solved.exists[sample_order[rank]];
    counts.high_hits += solved.exists[sample_order[num_samples - 1 - rank]];
  }
  counts.low_count = counts.high_count = static_cast<double>(third);
  auto value_at = [&](std::size_t rank) {
    return model::FormatNumber(
        std::round(reported[sample_order[rank] * num_parameters + parameter_idx] * 1000) / 1000);
  };
  entry.low_condition = "in the lowest third (" + value_at(0) + " to " + value_at(third - 1) + ")";
  entry.high_condition = "in the highest third (" + value_at(num_samples - third) + " to " +
                         value_at(num_samples - 1) + ")";
  return counts;
}

// Each parameter's effect on the probability of a zone, largest first; a warning when the
// thirds are too small for the intervals. Errors: kCancelled on request.
Status AddSensitivity(const ParameterSet& set, const SolvedSamples& solved,
                      const RobustOptions& options, double minimum, RobustAnalysis& analysis) {
  const std::size_t num_samples = solved.exists.size();
  const std::size_t num_parameters = set.parameters().size();
  const std::size_t third = num_samples / 3;
  std::vector<std::size_t> sample_order(num_samples);
  for (std::size_t parameter_idx = 0; parameter_idx < num_parameters; ++parameter_idx) {
    if (options.stop.stop_requested()) return Cancelled();
    const Parameter& parameter = set.parameters()[parameter_idx];
    const bool red_line = parameter.kind == ParameterKind::kRedLine;
    if (!red_line && (!(parameter.range.high > parameter.range.low) || third == 0)) continue;
    Sensitivity entry;
    entry.parameter = parameter_idx;
    entry.name = parameter.name;
    entry.words = set.Describe(parameter);
    const ConditionCounts counts =
        red_line ? CountByFirmness(solved, num_parameters, parameter_idx, entry)
                 : CountByThirds(solved, num_parameters, parameter_idx, sample_order, entry);
    entry.low = WilsonInterval(counts.low_hits, counts.low_count, options.confidence);
    entry.high = WilsonInterval(counts.high_hits, counts.high_count, options.confidence);
    if (counts.low_count == 0) entry.low = Probability{0, 0, 1};
    if (counts.high_count == 0) entry.high = Probability{0, 0, 1};
    entry.effect = counts.low_count > 0 && counts.high_count > 0
                       ? DifferenceInterval(entry.high, entry.low)
                       : Probability{0, -1, 1};
    analysis.sensitivity.push_back(std::move(entry));
  }
  std::stable_sort(analysis.sensitivity.begin(), analysis.sensitivity.end(),
                   [](const Sensitivity& a, const Sensitivity& b) {
                     return std::fabs(a.effect.estimate) > std::fabs(b.effect.estimate);
                   });
  if (!analysis.sensitivity.empty() && static_cast<double>(third) < minimum) {
    analysis.warnings.push_back(fmt::format(
        "Sensitivity compares thirds of the samples: {} samples are too few for {} intervals on "
        "them (at least {:.0f} are needed).",
        num_samples, FormatPercent(options.confidence), 3 * std::ceil(minimum)));
  }
  return Status();
}

// What the verdict depends on most, in words.
std::string DependsOnWords(const RobustAnalysis& analysis, std::uint64_t with_zone) {
  if (with_zone == 0 || with_zone == analysis.samples) {
    return std::string("The verdict is the same in every sample: no assumption, ") +
           "within its range, changes it.";
  }
  std::vector<std::string> named;
  for (const Sensitivity& entry : analysis.sensitivity) {
    if (named.size() == 2) break;
    if (entry.effect.low > 0 || entry.effect.high < 0) named.push_back(entry.words);
  }
  if (named.empty()) {
    return fmt::format("No single assumption moves the verdict measurably with {} samples.",
                       analysis.samples);
  }
  return "Whether a deal is possible depends most on " + named[0] +
         (named.size() > 1 ? " and on " + named[1] : std::string()) + ".";
}

}  // namespace

std::vector<std::vector<double>> DrawPriorSamples(const ParameterSet& set, std::uint64_t count,
                                                  std::uint64_t seed, int threads,
                                                  const std::stop_token& stop) {
  std::vector<std::vector<double>> rows(count);
  const std::size_t num_parameters = set.parameters().size();
  internal::ParallelChunks(count, 256, threads, [&](std::size_t begin, std::size_t end) {
    if (stop.stop_requested()) return;
    std::vector<double> uniforms(num_parameters);
    for (std::size_t sample = begin; sample < end; ++sample) {
      internal::Stream stream(seed, sample, 1);
      for (double& uniform : uniforms) uniform = stream.Uniform();
      rows[sample] = set.SamplePrior(uniforms);
    }
  });
  return rows;
}

Result<RobustAnalysis> AnalyzeRobustness(const ParameterSet& set, const ZoneSolver& solver,
                                         const std::vector<std::vector<double>>& samples,
                                         const RobustOptions& options) {
  RobustAnalysis analysis;
  const std::size_t num_samples = samples.size();
  analysis.samples = num_samples;
  analysis.seed = options.seed;
  analysis.confidence = options.confidence;
  analysis.spread = set.spread();
  analysis.num_parameters = set.parameters().size();
  if (num_samples == 0) return InvalidInput("the robust analysis needs at least one sample");

  PARLEY_ASSIGN_OR_RETURN(SolvedSamples solved, SolveSamples(set, solver, samples, options));
  analysis.zone_exists.assign(num_samples, false);
  std::uint64_t with_zone = 0;
  for (std::size_t sample = 0; sample < num_samples; ++sample) {
    analysis.zone_exists[sample] = solved.exists[sample] != 0;
    with_zone += solved.exists[sample];
  }
  const double n = static_cast<double>(num_samples);
  analysis.zopa_probability = WilsonInterval(static_cast<double>(with_zone), n, options.confidence);
  analysis.summary = ZoneSummary(analysis.zopa_probability, num_samples, options.confidence);
  const double minimum = MinimumSamplesFor(options.confidence);
  if (n < minimum) {
    analysis.warnings.push_back(fmt::format(
        "{} samples are too few for a {} interval on a probability (at least {:.0f} are needed): "
        "the interval is wide and says little.",
        num_samples, FormatPercent(options.confidence), std::ceil(minimum)));
  }
  PARLEY_ASSIGN_OR_RETURN(analysis.packages, FindPackages(set, solver, samples, solved, with_zone,
                                                          options, analysis.packages_method));
  PARLEY_RETURN_IF_ERROR(AddSensitivity(set, solved, options, minimum, analysis));
  analysis.depends_on = DependsOnWords(analysis, with_zone);
  return analysis;
}

Result<RobustAnalysis> AnalyzeUncertainty(const model::Scenario& scenario,
                                          const std::vector<std::size_t>& parties, double spread,
                                          const RobustOptions& options) {
  if (options.samples == 0) {
    return InvalidInput("--samples must be at least 1", Location::InField("--samples"));
  }
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return InvalidInput("the confidence level must lie strictly between 0 and 1",
                        Location::InField("--confidence"));
  }
  PARLEY_ASSIGN_OR_RETURN(ParameterSet set, ParameterSet::Build(scenario, parties, spread));
  PARLEY_ASSIGN_OR_RETURN(ZoneSolver solver, ZoneSolver::Build(set));
  std::vector<std::vector<double>> samples =
      DrawPriorSamples(set, options.samples, options.seed, options.threads, options.stop);
  return AnalyzeRobustness(set, solver, samples, options);
}

}  // namespace parley::uncertainty
