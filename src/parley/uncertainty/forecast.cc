#include "parley/uncertainty/forecast.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "parley/analysis/gaps.h"
#include "parley/analysis/pareto.h"
#include "parley/analysis/zopa.h"
#include "parley/base/dates.h"
#include "parley/uncertainty/internal/parallel.h"

namespace parley::uncertainty {
namespace {

// An observation as a full outcome: unnamed issues take the party's own best option.
model::Outcome Complete(const model::Scenario& scenario, const model::Observation& observation) {
  model::Outcome outcome(observation.options.size(), 0);
  const auto* additive = dynamic_cast<const model::AdditiveUtility*>(
      scenario.parties[observation.party_idx].preferences
          ? scenario.parties[observation.party_idx].preferences->utility.get()
          : nullptr);
  for (std::size_t issue_idx = 0; issue_idx < outcome.size(); ++issue_idx) {
    if (observation.options[issue_idx] >= 0) {
      outcome[issue_idx] = static_cast<model::OptionIndex>(observation.options[issue_idx]);
    } else if (additive != nullptr) {
      const std::vector<double>& table = additive->values()[issue_idx].table;
      outcome[issue_idx] = static_cast<model::OptionIndex>(
          std::max_element(table.begin(), table.end()) - table.begin());
    }
  }
  return outcome;
}

struct GridAnswer {
  double closes = 0;
  double crossing = 0;  // posterior mean crossing time given the gap closes
};

// The concession model's posterior on the grid, for points (time, gap) with weights.
GridAnswer FitGrid(const std::vector<double>& times, const std::vector<double>& gaps,
                   const std::vector<double>& weights, double noise, double cut_time) {
  GridAnswer answer;
  double d_max = 0.05;
  for (double gap : gaps) d_max = std::max(d_max, gap);
  constexpr int kShapes = 25;
  constexpr int kEnds = 41;
  std::vector<double> log_posterior;
  std::vector<double> crossing;
  std::vector<bool> closes;
  for (int shape_idx = 0; shape_idx < kShapes; ++shape_idx) {
    const double e =
        std::exp(std::log(0.1) + (std::log(10.0) - std::log(0.1)) * shape_idx / (kShapes - 1));
    for (int end_idx = 0; end_idx < kEnds; ++end_idx) {
      const double d_end = -d_max + 2 * d_max * end_idx / (kEnds - 1);
      double gy = 0;
      double gg = 0;
      for (std::size_t k = 0; k < times.size(); ++k) {
        double g = 1 - std::pow(times[k], 1 / e);
        gy += weights[k] * g * (gaps[k] - d_end);
        gg += weights[k] * g * g;
      }
      double amplitude = gg > 0 ? std::max(0.0, gy / gg) : 0.0;
      double residual = 0;
      for (std::size_t k = 0; k < times.size(); ++k) {
        double g = 1 - std::pow(times[k], 1 / e);
        double difference = gaps[k] - d_end - amplitude * g;
        residual += weights[k] * difference * difference;
      }
      log_posterior.push_back(-residual / (2 * noise * noise));
      closes.push_back(d_end <= 0);
      double d_start = d_end + amplitude;
      double tau = d_start <= 0 ? 0.0 : std::pow(d_start / (d_start - d_end), e);
      crossing.push_back(std::clamp(std::max(tau, cut_time), 0.0, 1.0));
    }
  }
  double top = *std::max_element(log_posterior.begin(), log_posterior.end());
  double total = 0;
  double closing = 0;
  double crossing_sum = 0;
  for (std::size_t idx = 0; idx < log_posterior.size(); ++idx) {
    double weight = std::exp(log_posterior[idx] - top);
    total += weight;
    if (closes[idx]) {
      closing += weight;
      crossing_sum += weight * crossing[idx];
    }
  }
  answer.closes = closing / total;
  answer.crossing = closing > 0 ? crossing_sum / closing : 1.0;
  return answer;
}

// Two principals: each concedes along the time-dependent family toward its reservation value,
// x_p(t) = r_p + (x0_p - r_p)(1 - t^(1/e_p)); an offer made at target x by one party is worth to
// the other the best it could get on the Pareto frontier at that level, less the shortfall seen
// in that party's offers so far; agreement comes at the first remaining time one party's offer is
// worth to the other at least its own target.
struct ConcessionModel {
  struct Party {
    std::vector<double> times;
    std::vector<double> own;    // own utility of its offers
    std::vector<double> other;  // the other party's utility of its offers
    double reservation = 0;
    double opening = 0;
    bool stalled = false;  // no concession over the second half of what was observed
    double current = 0;    // own utility of the latest offer
  };
  Party parties[2];
  // Frontier keys (the other party's utility) sorted descending, with the running best of the
  // party's own utility: Frontier(to, level) = max u_to over points where u_other >= level.
  std::vector<double> keys[2];
  std::vector<double> best[2];
  // Concession shapes: exponent e and where the party stops, as a fraction f of the way from its
  // reservation value to its opening (f = 0: it concedes to its reservation, as the time-dependent
  // tactics do; f > 0: it stops short). Flat prior over the grid (log e, f).
  std::vector<double> shapes;
  std::vector<double> floors;
  double firm_prior = 0.02;
  double firm_prior_stalled = 0.3;
  std::vector<double> future;  // remaining times to check

  double Frontier(int to, double level) const {
    const std::vector<double>& key = keys[to];
    auto end = std::upper_bound(key.begin(), key.end(), level, std::greater<double>());
    std::size_t count = static_cast<std::size_t>(end - key.begin());
    return count == 0 ? -1.0 : best[to][count - 1];
  }
};

double FirmPrior(const ConcessionModel& model, const ConcessionModel::Party& party) {
  return party.stalled ? model.firm_prior_stalled : model.firm_prior;
}

// Posterior weights over the concession shapes of one party (flat in log e).
std::vector<double> ShapeWeights(const ConcessionModel& model, const ConcessionModel::Party& party,
                                 const std::vector<double>& point_weights, double noise) {
  std::vector<double> log_weights;
  for (double floor : model.floors) {
    const double end = party.reservation + floor * (party.opening - party.reservation);
    for (double e : model.shapes) {
      double residual = 0;
      for (std::size_t k = 0; k < party.times.size(); ++k) {
        double target = end + (party.opening - end) * (1 - std::pow(party.times[k], 1 / e));
        double difference = party.own[k] - target;
        residual += point_weights[k] * difference * difference;
      }
      log_weights.push_back(-residual / (2 * noise * noise));
    }
  }
  // Holding firm (no concession before the deadline) has prior probability firm_prior; the
  // conceding shapes share the rest.
  double firm_residual = 0;
  if (!party.stalled) {
    for (std::size_t k = 0; k < party.times.size(); ++k) {
      double difference = party.own[k] - party.opening;
      firm_residual += point_weights[k] * difference * difference;
    }
  }
  const double grid = static_cast<double>(log_weights.size());
  log_weights.push_back(-firm_residual / (2 * noise * noise) +
                        std::log(FirmPrior(model, party) * grid / (1 - FirmPrior(model, party))));
  double top = *std::max_element(log_weights.begin(), log_weights.end());
  std::vector<double> weights;
  double total = 0;
  for (double value : log_weights) {
    weights.push_back(std::exp(value - top));
    total += weights.back();
  }
  for (double& weight : weights) weight /= total;
  return weights;
}

GridAnswer SolveConcession(const ConcessionModel& model, const std::vector<double>& weights0,
                           const std::vector<double>& weights1, double noise, double cut_time) {
  // Shortfall of each party's offers against the frontier, as observed.
  double shortfall[2] = {0, 0};
  for (int party = 0; party < 2; ++party) {
    const ConcessionModel::Party& offers = model.parties[party];
    const std::vector<double>& point_weights = party == 0 ? weights0 : weights1;
    double total = 0;
    double weight_sum = 0;
    for (std::size_t k = 0; k < offers.times.size(); ++k) {
      double frontier = model.Frontier(1 - party, offers.own[k]);
      if (frontier < 0) continue;
      total += point_weights[k] * std::max(0.0, frontier - offers.other[k]);
      weight_sum += point_weights[k];
    }
    shortfall[party] = weight_sum > 0 ? total / weight_sum : 0;
  }
  std::vector<double> shape0 = ShapeWeights(model, model.parties[0], weights0, noise);
  std::vector<double> shape1 = ShapeWeights(model, model.parties[1], weights1, noise);
  // Each shape's targets over the remaining times.
  auto paths = [&](int party) {
    const ConcessionModel::Party& offers = model.parties[party];
    std::vector<std::vector<double>> out;
    for (double floor : model.floors) {
      const double end = offers.reservation + floor * (offers.opening - offers.reservation);
      for (double e : model.shapes) {
        std::vector<double> path;
        for (double time : model.future) {
          path.push_back(end + (offers.opening - end) * (1 - std::pow(time, 1 / e)));
        }
        out.push_back(std::move(path));
      }
    }
    out.emplace_back(model.future.size(), offers.stalled ? offers.current : offers.opening);
    return out;
  };
  const std::vector<std::vector<double>> paths0 = paths(0);
  const std::vector<std::vector<double>> paths1 = paths(1);
  double mass = 0;
  double crossing = 0;
  for (std::size_t first = 0; first < paths0.size(); ++first) {
    for (std::size_t second = 0; second < paths1.size(); ++second) {
      double weight = shape0[first] * shape1[second];
      if (weight < 1e-9) continue;
      for (std::size_t step = 0; step < model.future.size(); ++step) {
        const double time = model.future[step];
        double x0 = paths0[first][step];
        double x1 = paths1[second][step];
        // Party 1 accepts party 0's offer, or party 0 accepts party 1's.
        bool agree = model.Frontier(1, x0) - shortfall[0] >= x1 - 1e-12 ||
                     model.Frontier(0, x1) - shortfall[1] >= x0 - 1e-12;
        if (agree) {
          mass += weight;
          crossing += weight * std::max(time, cut_time);
          break;
        }
      }
    }
  }
  GridAnswer answer;
  answer.closes = std::clamp(mass, 0.0, 1.0);
  answer.crossing = mass > 0 ? crossing / mass : 1.0;
  return answer;
}

// One party's move between consecutive offers, for the reactivity of ForecastEvidence.
struct ConcessionStep {
  double time;
  int party;
  bool conceded;
};

// The shares of its range one party has conceded, would still need to concede and conceded
// recently, how often it changed its offer lately, and its steps between consecutive offers.
void AddPartyEvidence(const ConcessionModel& model, int party, ForecastEvidence& evidence,
                      std::vector<ConcessionStep>& steps) {
  const ConcessionModel::Party& offers = model.parties[party];
  const double range = std::max(offers.opening - offers.reservation, 1e-9);
  evidence.conceded[party] = std::clamp((offers.opening - offers.current) / range, 0.0, 1.0);
  // The other's latest offer, valued by this party.
  const double offered = model.parties[1 - party].other.back();
  evidence.need[party] = std::clamp((offers.current - offered) / range, 0.0, 2.0);
  const double half = offers.times.back() / 2;
  std::size_t first = 0;
  while (first < offers.times.size() && offers.times[first] < half) ++first;
  if (first < offers.own.size()) {
    const double before = first > 0 ? offers.own[first - 1] : offers.own.front();
    evidence.recent[party] = std::clamp((before - offers.current) / range, 0.0, 1.0);
    std::size_t moved = 0;
    for (std::size_t k = std::max<std::size_t>(first, 1); k < offers.own.size(); ++k) {
      if (std::fabs(offers.own[k] - offers.own[k - 1]) > 1e-9 ||
          std::fabs(offers.other[k] - offers.other[k - 1]) > 1e-9) {
        ++moved;
      }
    }
    const std::size_t counted = offers.own.size() - std::max<std::size_t>(first, 1);
    evidence.novelty[party] =
        counted > 0 ? static_cast<double>(moved) / static_cast<double>(counted) : 0.0;
  }
  for (std::size_t k = 1; k < offers.own.size(); ++k) {
    steps.push_back({offers.times[k], party, offers.own[k] < offers.own[k - 1] - 1e-9});
  }
}

// The correlation between a party conceding and the other having conceded at its step just
// before; 0 when either never varies.
double Reactivity(std::vector<ConcessionStep> steps) {
  std::stable_sort(
      steps.begin(), steps.end(),
      [](const ConcessionStep& a, const ConcessionStep& b) { return a.time < b.time; });
  std::optional<bool> last[2];
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (const ConcessionStep& step : steps) {
    if (last[1 - step.party]) {
      const double x = *last[1 - step.party] ? 1 : 0;
      const double y = step.conceded ? 1 : 0;
      n += 1;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    last[step.party] = step.conceded;
  }
  if (n <= 1) return 0;
  const double vx = sxx - sx * sx / n;
  const double vy = syy - sy * sy / n;
  if (vx > 1e-12 && vy > 1e-12) return (sxy - sx * sy / n) / std::sqrt(vx * vy);
  return 0;
}

// The share of the first acceptance gap closed by the cut, and the pace of recent closing.
void AddGapEvidence(const std::vector<double>& times, const std::vector<double>& acceptance,
                    ForecastEvidence& evidence) {
  if (acceptance.empty()) return;
  const double first_gap = acceptance.front();
  const double now = acceptance.back();
  evidence.gap_closed =
      first_gap > 1e-9 ? std::clamp((first_gap - now) / first_gap, 0.0, 1.0) : 1.0;
  const double half = times.back() / 2;
  std::size_t mid = 0;
  while (mid + 1 < times.size() && times[mid] < half) ++mid;
  constexpr double kMaxPace = 10;
  if (now <= 1e-9) {
    evidence.pace = kMaxPace;
  } else if (times.back() > times[mid]) {
    const double rate = (acceptance[mid] - now) / (times.back() - times[mid]);
    evidence.pace = std::clamp(rate * (1 - times.back()) / now, 0.0, kMaxPace);
  }
}

// The evidence of how the two principals move (ForecastEvidence), from the offers in the model
// and the acceptance gap's series.
ForecastEvidence ComputeEvidence(const ConcessionModel& model, const std::vector<double>& times,
                                 const std::vector<double>& acceptance) {
  ForecastEvidence evidence;
  evidence.available = true;
  std::vector<ConcessionStep> steps;
  for (int party = 0; party < 2; ++party) AddPartyEvidence(model, party, evidence, steps);
  evidence.unmoved = std::min(evidence.conceded[0], evidence.conceded[1]) < 0.005;
  evidence.reactivity = Reactivity(std::move(steps));
  AddGapEvidence(times, acceptance, evidence);
  return evidence;
}

// The calibrated probability of agreement from the concession model's probability and the
// evidence (ForecastOptions::Calibration).
double Calibrate(const ForecastOptions::Calibration& calibration, const ForecastEvidence& evidence,
                 double model_probability) {
  const double clamped = std::clamp(model_probability, 0.02, 0.98);
  const double score = calibration.intercept +
                       calibration.model * std::log(clamped / (1 - clamped)) +
                       calibration.need * std::min(evidence.need[0], evidence.need[1]) +
                       calibration.conceded * std::min(evidence.conceded[0], evidence.conceded[1]) +
                       calibration.novelty * std::min(evidence.novelty[0], evidence.novelty[1]) +
                       calibration.unmoved * (evidence.unmoved ? 1.0 : 0.0);
  return 1 / (1 + std::exp(-score));
}

double Quantile(std::vector<double> values, double level) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return 0;
  double position = level * static_cast<double>(values.size() - 1);
  std::size_t lower = static_cast<std::size_t>(std::floor(position));
  std::size_t upper = std::min(values.size() - 1, lower + 1);
  double fraction = position - static_cast<double>(lower);
  return values[lower] * (1 - fraction) + values[upper] * fraction;
}

std::string Likelihood(double probability) {
  if (probability < 0.3) return "unlikely";
  if (probability > 0.7) return "likely";
  return "uncertain";
}

// The principals compared. Errors: kInvalidInput when fewer than two, or one has no preferences.
Result<std::vector<std::size_t>> ComparedParties(const model::Scenario& scenario,
                                                 const ForecastOptions& options) {
  std::vector<std::size_t> parties =
      options.parties.empty() ? scenario.PrincipalIndices() : options.parties;
  if (parties.size() < 2) {
    return InvalidInput("a forecast compares at least two principals with preferences");
  }
  for (std::size_t party_idx : parties) {
    if (party_idx >= scenario.parties.size() || !scenario.parties[party_idx].preferences) {
      return InvalidInput("every compared party needs preferences");
    }
  }
  return parties;
}

// The scale observations are cut and reported on: rounds, or days since the start.
struct Timeline {
  bool dated = false;
  long span = 0;  // rounds (or days) from the start to the deadline
  std::optional<long> start_day;

  long PositionOf(const model::Observation& observation) const {
    if (!dated)
      return observation.round >= 0 ? observation.round : std::lround(observation.time * span);
    return std::lround(observation.time * static_cast<double>(span));
  }
};

// Errors: kInvalidInput when the record has no deadline, or dates that are not valid.
Result<Timeline> ReadTimeline(const model::Record& record) {
  Timeline timeline;
  timeline.dated = record.deadline_round <= 0;
  timeline.span = record.deadline_round;
  if (!timeline.dated) return timeline;
  if (record.deadline_date.empty() || record.start_date.empty()) {
    return InvalidInput("the record has no deadline (a round or a date)");
  }
  timeline.start_day = DaysOfDate(record.start_date);
  std::optional<long> deadline_day = DaysOfDate(record.deadline_date);
  if (!timeline.start_day || !deadline_day || *deadline_day <= *timeline.start_day) {
    return InvalidInput("the record's start and deadline dates are not valid");
  }
  timeline.span = *deadline_day - *timeline.start_day;
  return timeline;
}

// The first position not used: --at-round, or none. Errors: kInvalidInput when negative.
Result<long> ReadCut(const ForecastOptions& options) {
  if (!options.at_round) return std::numeric_limits<long>::max();
  if (*options.at_round < 0) {
    return InvalidInput("--at-round must be 0 or more", Location::InField("--at-round"));
  }
  return static_cast<long>(*options.at_round);
}

// Per-issue and overall gaps between the latest offers, the mean over pairs of principals.
struct PairGaps {
  std::vector<double> issues;
  double overall = 0;
};

PairGaps MeanPairGaps(const model::Scenario& scenario,
                      const std::map<std::size_t, model::Outcome>& latest) {
  std::vector<double> issue_gaps(scenario.issues.size(), 0.0);
  double overall = 0;
  int pairs = 0;
  for (auto first = latest.begin(); first != latest.end(); ++first) {
    for (auto second = std::next(first); second != latest.end(); ++second) {
      analysis::Gaps gaps = analysis::ComputeOfferGaps(scenario, {first->first, second->first},
                                                       first->second, second->second);
      for (const analysis::IssueGap& gap : gaps.issues) issue_gaps[gap.issue_idx] += gap.gap;
      overall += gaps.overall;
      ++pairs;
    }
  }
  PairGaps mean;
  for (double gap : issue_gaps) mean.issues.push_back(gap / pairs);
  mean.overall = overall / pairs;
  return mean;
}

// The acceptance gap of the latest offers: the smallest, over offers on the table, of the largest
// shortfall of that offer against what another principal asks.
double AcceptanceGap(const model::Scenario& scenario,
                     const std::map<std::size_t, model::Outcome>& latest) {
  double smallest = std::numeric_limits<double>::infinity();
  for (const auto& [offerer, offer] : latest) {
    double shortfall = -std::numeric_limits<double>::infinity();
    for (const auto& [party_idx, own] : latest) {
      if (party_idx == offerer) continue;
      const model::UtilityFunction& utility = *scenario.parties[party_idx].preferences->utility;
      shortfall = std::max(shortfall, utility.Evaluate(own) - utility.Evaluate(offer));
    }
    smallest = std::min(smallest, shortfall);
  }
  return smallest;
}

// The gap series before the cut: a point at every position some compared principal offered once
// two have (a later offer at the same position replaces the point), and the acceptance gap once
// every compared principal has offered.
struct GapSeries {
  std::size_t observations_used = 0;
  long last_used = -1;
  std::vector<std::vector<double>> issues;  // per issue
  std::vector<double> overall;
  std::vector<double> gap_times;  // the gaps' positions
  std::vector<long> positions;
  std::vector<double> times;  // relative times of the acceptance gaps
  std::vector<double> acceptance;

  void Add(long position, double time, const PairGaps& gaps) {
    if (!gap_times.empty() && positions.back() == position) {
      for (auto& series : issues) series.pop_back();
      overall.pop_back();
      gap_times.pop_back();
      positions.pop_back();
      if (!acceptance.empty() && times.back() == time) {
        acceptance.pop_back();
        times.pop_back();
      }
    }
    for (std::size_t issue_idx = 0; issue_idx < gaps.issues.size(); ++issue_idx) {
      issues[issue_idx].push_back(gaps.issues[issue_idx]);
    }
    overall.push_back(gaps.overall);
    gap_times.push_back(static_cast<double>(position));
    positions.push_back(position);
  }
};

bool IsComparedOffer(const model::Observation& observation,
                     const std::vector<std::size_t>& parties) {
  return observation.kind != model::Observation::Kind::kAccept &&
         std::find(parties.begin(), parties.end(), observation.party_idx) != parties.end();
}

GapSeries CollectGaps(const model::Scenario& scenario, const model::Record& record,
                      const std::vector<std::size_t>& parties, const Timeline& timeline, long cut) {
  GapSeries series;
  series.issues.resize(scenario.issues.size());
  std::map<std::size_t, model::Outcome> latest;
  for (const model::Observation& observation : record.observations) {
    long position = timeline.PositionOf(observation);
    if (position >= cut || !IsComparedOffer(observation, parties)) continue;
    ++series.observations_used;
    series.last_used = std::max(series.last_used, position);
    latest[observation.party_idx] = Complete(scenario, observation);
    if (latest.size() < 2) continue;
    const double time = static_cast<double>(position) / static_cast<double>(timeline.span);
    series.Add(position, time, MeanPairGaps(scenario, latest));
    if (latest.size() == parties.size()) {
      series.acceptance.push_back(AcceptanceGap(scenario, latest));
      series.times.push_back(time);
    }
  }
  return series;
}

GapTrend MakeTrend(std::optional<std::size_t> issue_idx, const std::vector<double>& gap_times,
                   const std::vector<double>& series) {
  GapTrend trend;
  trend.issue_idx = issue_idx;
  trend.trend = ComputeTrend(gap_times, series);
  trend.narrowing = trend.trend.points >= 3 && trend.trend.p_value < 0.05;
  if (!series.empty()) {
    trend.first_gap = series.front();
    trend.latest_gap = series.back();
  }
  return trend;
}

// The series behind the charts and the gaps' trends.
void DescribeGaps(const GapSeries& series, long span, Forecast& forecast) {
  forecast.gap_points = series.overall.size();
  forecast.gap_positions = series.gap_times;
  forecast.overall_gaps = series.overall;
  for (double time : series.times) {
    forecast.acceptance_positions.push_back(time * static_cast<double>(span));
  }
  forecast.acceptance_gaps = series.acceptance;
  forecast.acceptance_gap = series.acceptance.empty() ? 0 : series.acceptance.back();
  for (std::size_t issue_idx = 0; issue_idx < series.issues.size(); ++issue_idx) {
    forecast.issues.push_back(MakeTrend(issue_idx, series.gap_times, series.issues[issue_idx]));
  }
  forecast.overall = MakeTrend(std::nullopt, series.gap_times, series.overall);
}

// The probability that a zone of agreement exists: given, or decided exactly.
Result<Probability> ZoneProbability(const model::Scenario& scenario,
                                    const std::vector<std::size_t>& parties,
                                    const ForecastOptions& options) {
  if (options.zone_probability) return *options.zone_probability;
  PARLEY_ASSIGN_OR_RETURN(analysis::Zopa zopa, analysis::ComputeZopa(scenario, parties));
  double exists = zopa.count > BigCount(0) ? 1.0 : 0.0;
  return Probability{exists, exists, exists};
}

// The frontier lookup tables of the concession model; false without an exact frontier.
bool FillFrontier(const model::Scenario& scenario, const std::vector<std::size_t>& parties,
                  ConcessionModel& model) {
  analysis::ParetoOptions pareto_options;
  pareto_options.parties = parties;
  pareto_options.enumeration_limit = 2'000'000;
  pareto_options.search_budget = 0;
  pareto_options.max_frontier_size = 200'000;
  Result<analysis::ParetoFrontier> frontier =
      analysis::ComputeParetoFrontier(scenario, pareto_options);
  if (!frontier.ok() || !frontier->exact || frontier->points.empty()) return false;
  for (int to = 0; to < 2; ++to) {
    std::vector<std::pair<double, double>> pairs;  // (other's utility, own utility)
    for (const analysis::ParetoPoint& point : frontier->points) {
      pairs.emplace_back(point.utilities[1 - to], point.utilities[to]);
    }
    std::sort(pairs.begin(), pairs.end(), std::greater<>());
    double running = -1;
    for (const auto& [key, value] : pairs) {
      model.keys[to].push_back(key);
      running = std::max(running, value);
      model.best[to].push_back(running);
    }
  }
  return true;
}

// Each compared principal's offers before the cut, valued by itself and by the other.
void CollectOffers(const model::Scenario& scenario, const model::Record& record,
                   const std::vector<std::size_t>& parties, const Timeline& timeline, long cut,
                   ConcessionModel& model) {
  for (const model::Observation& observation : record.observations) {
    if (timeline.PositionOf(observation) >= cut || !IsComparedOffer(observation, parties)) {
      continue;
    }
    auto found = std::find(parties.begin(), parties.end(), observation.party_idx);
    const int party = static_cast<int>(found - parties.begin());
    model::Outcome outcome = Complete(scenario, observation);
    ConcessionModel::Party& offers = model.parties[party];
    offers.times.push_back(observation.time);
    offers.own.push_back(scenario.parties[parties[party]].preferences->utility->Evaluate(outcome));
    offers.other.push_back(
        scenario.parties[parties[1 - party]].preferences->utility->Evaluate(outcome));
  }
}

// A party's opening, latest level, whether it stalled and its reservation value (at most its
// opening); false when it made no offer.
bool FinishParty(ConcessionModel::Party& offers) {
  if (offers.own.empty()) return false;
  offers.opening = *std::max_element(offers.own.begin(), offers.own.end());
  offers.current = offers.own.back();
  const double half = offers.times.back() / 2;
  std::size_t first = 0;
  while (first < offers.times.size() && offers.times[first] < half) ++first;
  offers.stalled = first > 0 && first < offers.own.size() &&
                   offers.own[first] - offers.current <= 1e-9 &&
                   offers.own.front() - offers.current > 1e-9;
  offers.reservation = std::min(offers.reservation, offers.opening);
  return true;
}

// Two principals with an exact frontier, each with an offer before the cut and time left: the
// concession model; otherwise none.
std::optional<ConcessionModel> BuildConcessionModel(const model::Scenario& scenario,
                                                    const model::Record& record,
                                                    const std::vector<std::size_t>& parties,
                                                    const Timeline& timeline, long cut,
                                                    int cut_round, const ForecastOptions& options) {
  if (parties.size() != 2) return std::nullopt;
  ConcessionModel model;
  if (!FillFrontier(scenario, parties, model)) return std::nullopt;
  for (int shape_idx = 0; shape_idx < 20; ++shape_idx) {
    model.shapes.push_back(
        std::exp(std::log(0.005) + (std::log(20.0) - std::log(0.005)) * shape_idx / 19.0));
  }
  model.floors = {0};
  model.firm_prior = options.firm_prior;
  model.firm_prior_stalled = options.firm_prior_stalled;
  for (int party = 0; party < 2; ++party) {
    model.parties[party].reservation =
        scenario.parties[parties[party]].preferences->ReservationOrZero();
  }
  CollectOffers(scenario, record, parties, timeline, cut, model);
  for (ConcessionModel::Party& offers : model.parties) {
    if (!FinishParty(offers)) return std::nullopt;
  }
  // The remaining rounds (or days): the last one starts at (span - 1) / span.
  for (long position = cut_round; position < timeline.span; ++position) {
    model.future.push_back(static_cast<double>(position) / static_cast<double>(timeline.span));
  }
  if (model.future.empty()) return std::nullopt;
  return model;
}

// Weights of `count` observed points: 1 each without a stream (the forecast itself), Dirichlet
// weights with one (a Bayesian bootstrap replicate).
std::vector<double> PointWeights(internal::Stream* stream, std::size_t count) {
  std::vector<double> weights(count, 1.0);
  if (stream == nullptr || count == 0) return weights;
  double sum = 0;
  for (double& weight : weights) {
    weight = -std::log(std::max(stream->Uniform(), 1e-300));
    sum += weight;
  }
  for (double& weight : weights) weight *= static_cast<double>(count) / sum;
  return weights;
}

// The model's answer for the weights `stream` draws: the concession model when there is one
// (calibrated when asked; the forecast itself, without a stream, also records the model's own
// probability in the evidence), the acceptance gap's path otherwise.
GridAnswer SolveModel(const std::optional<ConcessionModel>& concession, const GapSeries& series,
                      const ForecastOptions& options, internal::Stream* stream,
                      Forecast& forecast) {
  if (!concession) {
    return FitGrid(series.times, series.acceptance, PointWeights(stream, series.times.size()),
                   options.noise, forecast.cut_time);
  }
  std::vector<double> first = PointWeights(stream, concession->parties[0].times.size());
  std::vector<double> second = PointWeights(stream, concession->parties[1].times.size());
  GridAnswer answer =
      SolveConcession(*concession, first, second, options.concession_noise, forecast.cut_time);
  if (stream == nullptr) forecast.evidence.model_probability = answer.closes;
  if (options.calibration.enabled) {
    answer.closes = Calibrate(options.calibration, forecast.evidence, answer.closes);
  }
  return answer;
}

// The probability that the gap closes with its bootstrap interval, the probability of agreement
// and the expected time of agreement.
void EstimateAgreement(const std::optional<ConcessionModel>& concession, const GapSeries& series,
                       const ForecastOptions& options, const Timeline& timeline,
                       Forecast& forecast) {
  const GridAnswer full = SolveModel(concession, series, options, nullptr, forecast);
  std::vector<double> replicates;
  const bool any_points = concession || !series.times.empty();
  for (int replicate = 0; replicate < options.bootstrap && any_points; ++replicate) {
    internal::Stream stream(options.seed, static_cast<std::uint64_t>(replicate), 11);
    replicates.push_back(SolveModel(concession, series, options, &stream, forecast).closes);
  }
  const double tail = (1 - options.confidence) / 2;
  forecast.gap_closes.estimate = full.closes;
  forecast.gap_closes.low =
      replicates.empty() ? full.closes : std::min(full.closes, Quantile(replicates, tail));
  forecast.gap_closes.high =
      replicates.empty() ? full.closes : std::max(full.closes, Quantile(replicates, 1 - tail));
  if (options.bootstrap * tail < 5) {
    forecast.warnings.push_back(fmt::format(
        "{} bootstrap replicates are too few for a {} interval (at least {:.0f} are needed).",
        options.bootstrap, FormatPercent(options.confidence), std::ceil(5 / tail)));
  }
  const Probability& zone = forecast.zone_probability;
  forecast.agreement_probability = {full.closes * zone.estimate, forecast.gap_closes.low * zone.low,
                                    forecast.gap_closes.high * zone.high};
  if (forecast.agreement_probability.estimate > 0) {
    double round = full.crossing * static_cast<double>(timeline.span);
    forecast.expected_round = round;
    if (timeline.dated) {
      forecast.expected_date = DateOfDays(*timeline.start_day + std::lround(round));
    }
  }
}

// Words on how the two principals move (the calibrated concession model only).
std::string EvidenceWords(const model::Scenario& scenario, const ForecastEvidence& evidence) {
  auto name = [&](int side) { return scenario.parties[evidence.party_idx[side]].name; };
  std::string words;
  const int closer = evidence.need[0] <= evidence.need[1] ? 0 : 1;
  if (evidence.unmoved) {
    const int still = evidence.conceded[0] <= evidence.conceded[1] ? 0 : 1;
    words += fmt::format(
        "{} has not conceded yet, which at this stage is as often a party that never will "
        "as one that concedes late. ",
        name(still));
  } else {
    words += fmt::format("Both parties have conceded (at least {} of their ranges). ",
                         FormatPercent(std::min(evidence.conceded[0], evidence.conceded[1])));
  }
  words += evidence.need[closer] > 1
               ? std::string(
                     "Neither would accept the other's latest offer without going "
                     "below its reservation value. ")
               : fmt::format(
                     "{} would accept {}'s latest offer after giving up {} more of "
                     "its range. ",
                     name(closer), name(1 - closer), FormatPercent(evidence.need[closer]));
  return words;
}

// Words on the chance of a deal by the deadline and when it would come.
std::string AgreementWords(const model::Scenario& scenario, const model::Record& record,
                           const Forecast& forecast, const ForecastOptions& options,
                           const Timeline& timeline) {
  const std::string deadline = timeline.dated
                                   ? "the deadline (" + record.deadline_date + ")"
                                   : fmt::format("the deadline (round {})", timeline.span);
  if (forecast.zone_probability.high <= 0) {
    return "No outcome gives every principal its reservation value within its red lines, so a "
           "deal by " +
           deadline + " is not expected unless positions change. ";
  }
  std::string words = fmt::format(
      "A deal by {} looks {}: {}.", deadline, Likelihood(forecast.agreement_probability.estimate),
      FormatProbability(forecast.agreement_probability, options.confidence));
  if (forecast.expected_round) {
    words += timeline.dated ? " If it comes, expect it around " + forecast.expected_date + "."
                            : fmt::format(" If it comes, expect it around round {:.0f}.",
                                          *forecast.expected_round);
  }
  words += " ";
  if (forecast.evidence.available && options.calibration.enabled) {
    words += EvidenceWords(scenario, forecast.evidence);
  }
  return words;
}

// Words on whether the gaps are narrowing, overall and issue by issue.
std::string TrendWords(const model::Scenario& scenario, const Forecast& forecast) {
  if (forecast.overall.trend.points < 3) {
    return "The record is too short to tell whether the gaps are narrowing.";
  }
  std::vector<std::string> narrowing;
  std::vector<std::string> not_narrowing;
  for (const GapTrend& trend : forecast.issues) {
    if (trend.first_gap == 0 && trend.latest_gap == 0) continue;
    (trend.narrowing ? narrowing : not_narrowing).push_back(scenario.issues[*trend.issue_idx].name);
  }
  auto join = [](const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
  };
  std::string words = fmt::format(
      "The record {} that the gaps are narrowing overall (one-sided "
      "Mann-Kendall p = {:.3g}).",
      forecast.overall.narrowing ? "supports" : "does not support", forecast.overall.trend.p_value);
  if (!narrowing.empty()) words += " Narrowing: " + join(narrowing) + ".";
  if (!not_narrowing.empty()) words += " Not narrowing: " + join(not_narrowing) + ".";
  return words;
}

}  // namespace

Result<Forecast> ForecastAgreement(const model::Scenario& scenario, const model::Record& record,
                                   const ForecastOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(std::vector<std::size_t> parties, ComparedParties(scenario, options));
  PARLEY_ASSIGN_OR_RETURN(Timeline timeline, ReadTimeline(record));
  PARLEY_ASSIGN_OR_RETURN(long cut, ReadCut(options));
  Forecast forecast;
  if (timeline.dated) forecast.deadline_date = record.deadline_date;
  forecast.deadline_round = static_cast<int>(timeline.span);

  const GapSeries series = CollectGaps(scenario, record, parties, timeline, cut);
  forecast.observations_used = series.observations_used;
  forecast.cut_round = static_cast<int>(options.at_round ? cut : series.last_used + 1);
  forecast.cut_time = std::clamp(static_cast<double>(forecast.cut_round) / timeline.span, 0.0, 1.0);
  DescribeGaps(series, timeline.span, forecast);
  PARLEY_ASSIGN_OR_RETURN(forecast.zone_probability, ZoneProbability(scenario, parties, options));

  const std::optional<ConcessionModel> concession =
      BuildConcessionModel(scenario, record, parties, timeline, cut, forecast.cut_round, options);
  if (concession) {
    forecast.method = "concession";
    forecast.evidence = ComputeEvidence(*concession, series.times, series.acceptance);
    forecast.evidence.party_idx[0] = parties[0];
    forecast.evidence.party_idx[1] = parties[1];
  } else if (series.times.size() < 3) {
    forecast.warnings.push_back(fmt::format(
        "Only {} point(s) where every principal had made an offer: too few to see a trend; the "
        "probability that the gap closes is the model's prior.",
        series.times.size()));
  }
  EstimateAgreement(concession, series, options, timeline, forecast);
  forecast.summary = AgreementWords(scenario, record, forecast, options, timeline) +
                     TrendWords(scenario, forecast);
  return forecast;
}

}  // namespace parley::uncertainty
