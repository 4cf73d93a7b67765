#include "parley/uncertainty/learning.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#include "parley/uncertainty/internal/parallel.h"

namespace parley::uncertainty {
namespace {

// log Phi(z), accurate far into the lower tail.
double LogNormalCdf(double z) {
  if (z > -30) return std::log(0.5 * std::erfc(-z / std::sqrt(2.0)));
  return -0.5 * z * z - std::log(-z) - 0.5 * std::log(2 * 3.14159265358979323846);
}

// Residual sum of squares of the best non-increasing fit (pool adjacent violators).
double NonIncreasingResidual(const std::vector<double>& values) {
  std::vector<double> sums;
  std::vector<double> counts;
  for (double value : values) {
    sums.push_back(value);
    counts.push_back(1);
    // A later block with a larger mean than the one before it violates the order: pool them.
    while (sums.size() > 1 && sums[sums.size() - 1] / counts[counts.size() - 1] >
                                  sums[sums.size() - 2] / counts[counts.size() - 2]) {
      sums[sums.size() - 2] += sums.back();
      counts[counts.size() - 2] += counts.back();
      sums.pop_back();
      counts.pop_back();
    }
  }
  double residual = 0;
  std::size_t position = 0;
  for (std::size_t block = 0; block < sums.size(); ++block) {
    double mean = sums[block] / counts[block];
    for (int k = 0; k < static_cast<int>(counts[block]); ++k) {
      double difference = values[position++] - mean;
      residual += difference * difference;
    }
  }
  return residual;
}

// What the record says about each analysed party, computed once.
struct Evidence {
  struct Item {
    model::Observation::Kind kind = model::Observation::Kind::kOffer;
    std::vector<std::int64_t> options;
    std::uint64_t crossed = 0;  // own red lines the observation certainly crosses
  };
  std::vector<std::vector<Item>> parties;  // per analysed party, in time order
  std::vector<std::vector<double>> times;  // per party: times of its offers and positions
  // powers[shape][party][k] = t_k^(1/e) for the concession-curve grid of exponents e.
  std::vector<std::vector<std::vector<double>>> powers;
  std::size_t used = 0;
};

Evidence CollectEvidence(const ParameterSet& set, const model::Record& record) {
  Evidence evidence;
  evidence.parties.resize(set.parties().size());
  evidence.times.resize(set.parties().size());
  const model::Scenario& scenario = set.scenario();
  for (const model::Observation& observation : record.observations) {
    auto found = std::find(set.parties().begin(), set.parties().end(), observation.party_idx);
    if (found == set.parties().end()) continue;
    const std::size_t position = static_cast<std::size_t>(found - set.parties().begin());
    Evidence::Item item;
    item.kind = observation.kind;
    item.options = observation.options;
    const auto& red_lines = scenario.parties[observation.party_idx].preferences->red_lines;
    model::Outcome outcome(observation.options.size(), 0);
    for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
      if (observation.options[issue_idx] >= 0) {
        outcome[issue_idx] = static_cast<model::OptionIndex>(observation.options[issue_idx]);
      }
    }
    for (std::size_t line_idx = 0; line_idx < red_lines.size() && line_idx < 64; ++line_idx) {
      bool determined = true;
      for (std::size_t issue_idx : red_lines[line_idx].expression.MentionedIssues()) {
        if (observation.options[issue_idx] < 0) determined = false;
      }
      if (determined && !red_lines[line_idx].Allows(outcome)) {
        item.crossed |= std::uint64_t{1} << line_idx;
      }
    }
    if (item.kind != model::Observation::Kind::kAccept) {
      evidence.times[position].push_back(observation.time);
    }
    evidence.parties[position].push_back(std::move(item));
    ++evidence.used;
  }
  for (int shape = 0; shape < 16; ++shape) {
    const double e = std::exp(std::log(0.05) + (std::log(20.0) - std::log(0.05)) * shape / 15.0);
    std::vector<std::vector<double>> per_party;
    for (const std::vector<double>& times : evidence.times) {
      std::vector<double> powers;
      for (double time : times) powers.push_back(std::pow(time, 1 / e));
      per_party.push_back(std::move(powers));
    }
    evidence.powers.push_back(std::move(per_party));
  }
  return evidence;
}

double LogLikelihoodOf(const ParameterSet& set, const Evidence& evidence,
                       const SampledUtilities& utilities, const LearningOptions& options) {
  double total = 0;
  const double log_epsilon = std::log(options.red_line_epsilon);
  std::vector<double> sequence;
  for (std::size_t position = 0; position < evidence.parties.size(); ++position) {
    const std::vector<Evidence::Item>& items = evidence.parties[position];
    if (items.empty()) continue;
    const PartyUtilities& party = utilities.parties[position];
    std::vector<std::int64_t> nothing(set.scenario().issues.size(), -1);
    sequence.clear();
    sequence.push_back(set.BestCompletion(party, nothing));
    for (const Evidence::Item& item : items) {
      const double utility = set.BestCompletion(party, item.options);
      total += LogNormalCdf((utility - party.reservation) / options.reservation_scale);
      if (item.crossed & party.firm_red_lines) {
        total +=
            log_epsilon * static_cast<double>(std::popcount(item.crossed & party.firm_red_lines));
      }
      if (item.kind != model::Observation::Kind::kAccept) sequence.push_back(utility);
    }
    if (sequence.size() > 2) {
      total -= NonIncreasingResidual(sequence) /
               (2 * options.concession_scale * options.concession_scale);
    }
    if (options.concession_curve && sequence.size() > 2) {
      // Offers follow one time-dependent concession curve from u_max toward r, its exponent
      // unknown (averaged over a grid).
      const double top = sequence.front();
      double best = -std::numeric_limits<double>::infinity();
      std::vector<double> terms;
      for (std::size_t shape = 0; shape < evidence.powers.size(); ++shape) {
        double residual = 0;
        for (std::size_t k = 1; k < sequence.size(); ++k) {
          double target = party.reservation +
                          (top - party.reservation) * (1 - evidence.powers[shape][position][k - 1]);
          residual += (sequence[k] - target) * (sequence[k] - target);
        }
        terms.push_back(-residual / (2 * options.curve_scale * options.curve_scale));
        best = std::max(best, terms.back());
      }
      double sum = 0;
      for (double term : terms) sum += std::exp(term - best);
      total += best + std::log(sum / static_cast<double>(terms.size()));
    }
  }
  return total;
}

// The ids of the analysed parties the record shows.
std::vector<std::string> ObservedParties(const ParameterSet& set, const Evidence& evidence) {
  std::vector<std::string> ids;
  for (std::size_t position = 0; position < evidence.parties.size(); ++position) {
    if (!evidence.parties[position].empty()) {
      ids.push_back(set.scenario().parties[set.parties()[position]].id);
    }
  }
  return ids;
}

// Parameters the record bears on (those of observed parties; a discount never enters), moved by
// random-walk steps, and the others, redrawn from their prior. Parameters of zero width are in
// neither.
struct ParameterRoles {
  std::vector<std::size_t> moved;
  std::vector<std::size_t> redrawn;
};

ParameterRoles SplitParameters(const ParameterSet& set, const Evidence& evidence) {
  ParameterRoles roles;
  for (std::size_t idx = 0; idx < set.parameters().size(); ++idx) {
    const Parameter& parameter = set.parameters()[idx];
    bool observed = !evidence.parties[parameter.party].empty();
    bool zero_width =
        parameter.kind != ParameterKind::kRedLine && !(parameter.range.high > parameter.range.low);
    if (zero_width) continue;
    (observed && parameter.kind != ParameterKind::kDiscount ? roles.moved : roles.redrawn)
        .push_back(idx);
  }
  return roles;
}

// The particles of sequential Monte Carlo with their log likelihoods.
struct Particles {
  std::vector<std::vector<double>> values;
  std::vector<double> log_likelihood;
};

// Materialises every particle; the parameters' values as reported, [sample][parameter].
// `visit(sample, utilities)` sees each materialised particle.
template <typename Visit>
std::vector<double> ReportedValues(const ParameterSet& set,
                                   const std::vector<std::vector<double>>& particles, int threads,
                                   const Visit& visit) {
  const std::size_t num_parameters = set.parameters().size();
  std::vector<double> reported(particles.size() * num_parameters);
  internal::ParallelChunks(particles.size(), 64, threads, [&](std::size_t begin, std::size_t end) {
    SampledUtilities utilities;
    for (std::size_t sample = begin; sample < end; ++sample) {
      set.Materialize(particles[sample], utilities);
      visit(sample, utilities);
      std::copy(utilities.reported.begin(), utilities.reported.end(),
                reported.begin() + static_cast<std::ptrdiff_t>(sample * num_parameters));
    }
  });
  return reported;
}

// The weights that take the particles from temperature `beta` to `next_beta`, and their
// effective sample size.
double TemperedWeights(const std::vector<double>& log_likelihood, double beta, double next_beta,
                       std::vector<double>& weights) {
  double top = -std::numeric_limits<double>::infinity();
  for (double value : log_likelihood) top = std::max(top, value);
  for (std::size_t sample = 0; sample < log_likelihood.size(); ++sample) {
    weights[sample] = std::exp((next_beta - beta) * (log_likelihood[sample] - top));
  }
  return EffectiveSampleSize(weights);
}

// The next temperature: 1 if that keeps half the effective sample size, else the one (found by
// bisection) that does.
double NextTemperature(const std::vector<double>& log_likelihood, double beta,
                       std::vector<double>& weights) {
  const double target = 0.5 * static_cast<double>(log_likelihood.size());
  if (TemperedWeights(log_likelihood, beta, 1, weights) >= target) return 1;
  double low = beta;
  double high = 1;
  for (int step = 0; step < 50; ++step) {
    double middle = (low + high) / 2;
    (TemperedWeights(log_likelihood, beta, middle, weights) < target ? high : low) = middle;
  }
  return std::max(low, beta + 1e-9);
}

// Systematic resampling of the particles by `weights`.
void Resample(const std::vector<double>& weights, std::uint64_t seed, int stage,
              Particles& particles) {
  const std::size_t num_samples = weights.size();
  double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  internal::Stream stream(seed, static_cast<std::uint64_t>(stage), 7);
  double position = stream.Uniform() / static_cast<double>(num_samples);
  std::vector<std::vector<double>> chosen;
  std::vector<double> chosen_likelihood;
  chosen.reserve(num_samples);
  double cumulative = 0;
  std::size_t source = 0;
  for (std::size_t sample = 0; sample < num_samples; ++sample) {
    double point = position + static_cast<double>(sample) / static_cast<double>(num_samples);
    while (source + 1 < num_samples && cumulative + weights[source] / sum < point) {
      cumulative += weights[source] / sum;
      ++source;
    }
    chosen.push_back(particles.values[source]);
    chosen_likelihood.push_back(particles.log_likelihood[source]);
  }
  particles.values = std::move(chosen);
  particles.log_likelihood = std::move(chosen_likelihood);
}

// Random-walk scales from the particles' spread (red lines flip instead).
std::vector<double> StepSizes(const ParameterSet& set,
                              const std::vector<std::vector<double>>& particles,
                              const std::vector<std::size_t>& moved) {
  std::vector<double> step(set.parameters().size(), 0.0);
  const double count = static_cast<double>(particles.size());
  for (std::size_t idx : moved) {
    const Parameter& parameter = set.parameters()[idx];
    if (parameter.kind == ParameterKind::kRedLine) continue;
    double mean = 0;
    double squares = 0;
    for (const auto& particle : particles) mean += particle[idx];
    mean /= count;
    for (const auto& particle : particles) {
      squares += (particle[idx] - mean) * (particle[idx] - mean);
    }
    double sd = std::sqrt(squares / count);
    step[idx] = std::max(sd, 0.01 * (parameter.range.high - parameter.range.low));
  }
  return step;
}

// The Metropolis-Hastings moves of one stage at temperature `beta`: the parameters the record
// does not bear on are redrawn from their prior; then options.moves_per_stage proposals, each
// changing one parameter that the record bears on for sure and each other with
// `change_probability`.
struct StageMoves {
  const ParameterSet& set;
  const Evidence& evidence;
  const LearningOptions& options;
  const ParameterRoles& roles;
  std::vector<double> step;  // random-walk scale per parameter, times `scale`
  double scale;
  double beta;
  int stage;
  double change_probability;

  void Redraw(internal::Stream& random, std::vector<double>& particle) const {
    for (std::size_t idx : roles.redrawn) {
      const Parameter& parameter = set.parameters()[idx];
      double u = random.Uniform();
      particle[idx] = parameter.kind == ParameterKind::kRedLine
                          ? (u < parameter.range.value ? 1.0 : 0.0)
                          : model::QuantileOfRange(parameter.range, u);
    }
  }

  void Perturb(internal::Stream& random, std::vector<double>& proposal) const {
    const std::vector<std::size_t>& moved = roles.moved;
    std::size_t forced = moved[static_cast<std::size_t>(random.Next() % moved.size())];
    for (std::size_t idx : moved) {
      if (idx != forced && random.Uniform() >= change_probability) continue;
      if (set.parameters()[idx].kind == ParameterKind::kRedLine) {
        proposal[idx] = 1 - proposal[idx];
      } else {
        proposal[idx] += scale * step[idx] * random.Normal();
      }
    }
  }

  // Moves one particle; the number of proposals accepted. `utilities` and `proposal` are
  // scratch space.
  std::uint64_t Move(std::size_t sample, std::vector<double>& particle, double& log_likelihood,
                     SampledUtilities& utilities, std::vector<double>& proposal) const {
    internal::Stream random(options.seed, sample, 1000 + static_cast<std::uint64_t>(stage));
    Redraw(random, particle);
    if (roles.moved.empty()) return 0;
    std::uint64_t accepted = 0;
    double current_prior = set.LogPrior(particle);
    for (int move = 0; move < options.moves_per_stage; ++move) {
      proposal = particle;
      Perturb(random, proposal);
      double proposal_prior = set.LogPrior(proposal);
      if (!std::isfinite(proposal_prior)) continue;
      set.Materialize(proposal, utilities);
      double proposal_likelihood = LogLikelihoodOf(set, evidence, utilities, options);
      double log_ratio =
          beta * (proposal_likelihood - log_likelihood) + proposal_prior - current_prior;
      if (std::log(std::max(random.Uniform(), 1e-300)) < log_ratio) {
        particle.swap(proposal);
        log_likelihood = proposal_likelihood;
        current_prior = proposal_prior;
        ++accepted;
      }
    }
    return accepted;
  }
};

// Moves every particle; the number of proposals accepted. Errors: kCancelled on request.
Result<std::uint64_t> MoveParticles(const StageMoves& moves, Particles& particles) {
  const LearningOptions& options = moves.options;
  const std::size_t num_samples = particles.values.size();
  std::vector<std::uint64_t> accepted(num_samples, 0);
  std::atomic<bool> cancelled{false};
  internal::ParallelChunks(
      num_samples, 64, options.threads, [&](std::size_t begin, std::size_t end) {
        if (options.stop.stop_requested()) {
          cancelled = true;
          return;
        }
        SampledUtilities utilities;
        std::vector<double> proposal;
        for (std::size_t sample = begin; sample < end; ++sample) {
          accepted[sample] = moves.Move(sample, particles.values[sample],
                                        particles.log_likelihood[sample], utilities, proposal);
        }
      });
  if (cancelled) return Status(ErrorCode::kCancelled, "learning cancelled");
  return std::accumulate(accepted.begin(), accepted.end(), std::uint64_t{0});
}

// Tempers the likelihood in from the prior particles to the posterior: reweighting, resampling
// and moving stage by stage (at most 200 stages), adapting the random walk's scale to keep the
// acceptance rate between 15% and 35%. Errors: kCancelled on request.
Status Temper(const ParameterSet& set, const Evidence& evidence, const LearningOptions& options,
              const ParameterRoles& roles, Particles& particles, Posterior& posterior) {
  const std::size_t num_samples = particles.values.size();
  double beta = 0;
  double scale = 1.0;
  std::uint64_t proposals = 0;
  std::uint64_t accepted_total = 0;
  posterior.smallest_effective_samples = static_cast<double>(num_samples);
  std::vector<double> weights(num_samples);
  for (int stage = 0; beta < 1 && stage < 200; ++stage) {
    if (options.stop.stop_requested()) return Status(ErrorCode::kCancelled, "learning cancelled");
    const double next = NextTemperature(particles.log_likelihood, beta, weights);
    double ess = TemperedWeights(particles.log_likelihood, beta, next, weights);
    posterior.smallest_effective_samples = std::min(posterior.smallest_effective_samples, ess);
    Resample(weights, options.seed, stage, particles);
    beta = next;
    ++posterior.stages;

    const double change_probability =
        roles.moved.empty() ? 0.0 : std::min(1.0, 2.0 / static_cast<double>(roles.moved.size()));
    const StageMoves moves{set,
                           evidence,
                           options,
                           roles,
                           StepSizes(set, particles.values, roles.moved),
                           scale,
                           beta,
                           stage,
                           change_probability};
    PARLEY_ASSIGN_OR_RETURN(std::uint64_t stage_accepted, MoveParticles(moves, particles));
    std::uint64_t stage_proposals =
        roles.moved.empty() ? 0 : num_samples * static_cast<std::uint64_t>(options.moves_per_stage);
    accepted_total += stage_accepted;
    proposals += stage_proposals;
    if (stage_proposals > 0) {
      double rate = static_cast<double>(stage_accepted) / static_cast<double>(stage_proposals);
      if (rate < 0.15) scale *= 0.7;
      if (rate > 0.35) scale *= 1.3;
    }
  }
  posterior.acceptance_rate =
      proposals > 0 ? static_cast<double>(accepted_total) / static_cast<double>(proposals) : 0;
  return Status();
}

// Prior and posterior summaries of every parameter, as used in evaluation (weights normalised).
std::vector<LearnedParameter> SummarizeParameters(const ParameterSet& set, std::size_t num_samples,
                                                  const std::vector<double>& prior_reported,
                                                  const std::vector<double>& posterior_reported,
                                                  double interval_mass) {
  const std::size_t num_parameters = set.parameters().size();
  const std::vector<double> equal(num_samples, 1.0);
  std::vector<double> column(num_samples);
  std::vector<LearnedParameter> parameters;
  for (std::size_t idx = 0; idx < num_parameters; ++idx) {
    LearnedParameter learned;
    learned.parameter = idx;
    learned.name = set.parameters()[idx].name;
    for (std::size_t sample = 0; sample < num_samples; ++sample) {
      column[sample] = prior_reported[sample * num_parameters + idx];
    }
    learned.prior = Summarize(column, equal, interval_mass);
    for (std::size_t sample = 0; sample < num_samples; ++sample) {
      column[sample] = posterior_reported[sample * num_parameters + idx];
    }
    learned.posterior = Summarize(column, equal, interval_mass);
    parameters.push_back(learned);
  }
  return parameters;
}

}  // namespace

double LogLikelihood(const ParameterSet& set, const model::Record& record,
                     const SampledUtilities& utilities, const LearningOptions& options) {
  return LogLikelihoodOf(set, CollectEvidence(set, record), utilities, options);
}

Result<Posterior> LearnFromRecord(const ParameterSet& set, const model::Record& record,
                                  const std::vector<std::vector<double>>& prior_samples,
                                  const LearningOptions& options) {
  const Evidence evidence = CollectEvidence(set, record);
  if (evidence.used == 0) {
    return InvalidInput(
        "the record has no offer, position or acceptance by an analysed party; nothing to learn");
  }
  const std::size_t num_samples = prior_samples.size();
  if (num_samples == 0) return InvalidInput("learning needs at least one sample");
  Posterior posterior;
  posterior.observations_used = evidence.used;
  posterior.parties_observed = ObservedParties(set, evidence);
  const ParameterRoles roles = SplitParameters(set, evidence);

  Particles particles{prior_samples, std::vector<double>(num_samples)};
  const std::vector<double> prior_reported = ReportedValues(
      set, particles.values, options.threads,
      [&](std::size_t sample, const SampledUtilities& utilities) {
        particles.log_likelihood[sample] = LogLikelihoodOf(set, evidence, utilities, options);
      });
  PARLEY_RETURN_IF_ERROR(Temper(set, evidence, options, roles, particles, posterior));

  const std::vector<double> posterior_reported = ReportedValues(
      set, particles.values, options.threads, [](std::size_t, const SampledUtilities&) {});
  posterior.parameters = SummarizeParameters(set, num_samples, prior_reported, posterior_reported,
                                             options.interval_mass);
  posterior.samples = std::move(particles.values);
  const double needed = 10 / ((1 - options.interval_mass) / 2);
  if (posterior.smallest_effective_samples < needed) {
    posterior.warnings.push_back(fmt::format(
        "The posterior rests on as few as {:.0f} effective samples at one step; {:.0f}% intervals "
        "need at least {:.0f} (use more --samples).",
        posterior.smallest_effective_samples, options.interval_mass * 100, needed));
  }
  if (!roles.moved.empty() && posterior.acceptance_rate < 0.02) {
    posterior.warnings.push_back(
        "Few moves were accepted while sampling the posterior; its intervals may be too narrow.");
  }
  return posterior;
}

}  // namespace parley::uncertainty
