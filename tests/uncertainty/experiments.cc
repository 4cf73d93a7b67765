#include "experiments.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "parley/io/scenario_io.h"
#include "parley/session/record.h"
#include "parley/session/session.h"
#include "parley/uncertainty/forecast.h"
#include "parley/uncertainty/learning.h"
#include "parley/uncertainty/robust.h"
#include "test_support.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

// Strategies of the party whose weights are hidden (concession strategies, as the likelihood
// assumes) and of its opponent.
const std::vector<std::string> kHiddenStrategies = {"boulware", "linear", "conceder",
                                                    "time_based(e=0.5)"};
const std::vector<std::string> kOpponentStrategies = {"conceder", "linear", "tit_for_tat",
                                                      "boulware"};
// The forecaster is told none of these.
const std::vector<std::string> kForecastPool = {
    "boulware",          "linear", "conceder", "hardliner", "tit_for_tat", "frequency_boulware",
    "time_based(e=0.5)", "micro"};

// A scenario the experiments use: two principals with additive utilities, at least two issues,
// at most two million outcomes.
bool IsTwoPartyAdditive(const std::string& folder) {
  Result<model::Scenario> scenario = io::LoadScenario(folder);
  if (!scenario.ok() || scenario->PrincipalIndices().size() != 2) return false;
  bool additive = true;
  for (std::size_t party_idx : scenario->PrincipalIndices()) {
    additive = additive && scenario->parties[party_idx].preferences->utility->IsAdditive();
  }
  std::optional<std::uint64_t> outcomes = scenario->BuildOutcomeSpace().Count64();
  return additive && outcomes && *outcomes <= 2000000 && scenario->issues.size() >= 2;
}

}  // namespace

std::vector<std::string> CalibrationFolders(std::size_t count) {
  std::string data = SharedDataDir();
  if (data.empty()) return {};
  std::vector<std::string> folders;
  for (const char* year : {"y2012", "y2011", "y2010"}) {
    std::vector<std::string> found = FoldersWithFiles(data + "/genius/anac/" + year, ".xml");
    std::sort(found.begin(), found.end());
    for (const std::string& folder : found) {
      // One variant of each 2012 domain (A, B and C share their profiles' weights).
      if (std::string(year) == "y2012" && folder.back() != 'A') continue;
      if (!IsTwoPartyAdditive(folder)) continue;
      folders.push_back(folder);
      if (folders.size() == count) return folders;
    }
  }
  return folders;
}

std::vector<std::string> DevelopmentFolders(std::size_t count) {
  std::string data = SharedDataDir();
  if (data.empty()) return {};
  std::vector<std::string> evaluation = CalibrationFolders(24);
  // Domain names of the evaluation set, lower case without the 2012 variant letter.
  auto domain_of = [](const std::string& folder) {
    std::string name = fs::path(folder).filename().string();
    std::string key;
    for (char c : name) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    return key;
  };
  std::vector<std::string> taken;
  for (const std::string& folder : evaluation) {
    std::string key = domain_of(folder);
    if (fs::path(folder).parent_path().filename() == "y2012") key.pop_back();
    taken.push_back(key);
  }
  std::vector<std::string> folders;
  for (const char* root : {"/genius/other", "/genius/anac/y2015", "/geniusweb"}) {
    std::vector<std::string> found = FoldersWithFiles(data + root, ".xml");
    std::vector<std::string> json = FoldersWithFiles(data + root, ".json");
    found.insert(found.end(), json.begin(), json.end());
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    for (const std::string& folder : found) {
      const std::string key = domain_of(folder);
      bool overlaps = false;
      for (const std::string& other : taken) {
        overlaps = overlaps || key.find(other) != std::string::npos ||
                   other.find(key) != std::string::npos;
      }
      if (overlaps) continue;
      if (!IsTwoPartyAdditive(folder)) continue;
      folders.push_back(folder);
      taken.push_back(key);
      if (folders.size() == count) return folders;
    }
  }
  // The B variants of the evaluation's 2012 domains: the same issues, weights and values, with
  // reservation value 0.25 and no discount (the A variants: 0.5 and 0.75).
  for (const std::string& folder : evaluation) {
    if (fs::path(folder).parent_path().filename() != "y2012") continue;
    std::string variant = folder;
    variant.back() = 'B';
    if (!fs::exists(variant)) continue;
    folders.push_back(variant);
    if (folders.size() == count) return folders;
  }
  return folders;
}

CalibrationCase RunCalibration(const std::string& folder, std::size_t case_idx,
                               std::uint64_t samples) {
  CalibrationCase result;
  result.scenario = fs::path(folder).filename().string();
  Result<model::Scenario> loaded = io::LoadScenario(folder);
  if (!loaded.ok()) return result;
  model::Scenario scenario = std::move(loaded).value();
  std::vector<std::size_t> principals = scenario.PrincipalIndices();
  const std::size_t hidden = principals[case_idx % 2];
  const model::Party& party = scenario.parties[hidden];
  const auto* utility =
      dynamic_cast<const model::AdditiveUtility*>(party.preferences->utility.get());
  const std::vector<double> truth = utility->weights();

  session::SessionConfig config;
  config.protocol = "alternating_offers";
  config.rounds = 100;
  config.seed = 1000 + case_idx;
  const std::string hidden_strategy = kHiddenStrategies[case_idx % kHiddenStrategies.size()];
  const std::string opponent_strategy =
      kOpponentStrategies[(case_idx / 2) % kOpponentStrategies.size()];
  config.strategies[hidden] = hidden_strategy;
  config.strategies[principals[(case_idx + 1) % 2]] = opponent_strategy;
  result.strategies = hidden_strategy + " vs " + opponent_strategy;
  Result<session::Trace> trace = session::RunSession(scenario, config);
  if (!trace.ok()) return result;
  model::Record record = session::RecordFromTrace(scenario, *trace);
  for (const model::Observation& observation : record.observations) {
    if (observation.party_idx == hidden && observation.kind == model::Observation::Kind::kOffer) {
      ++result.offers;
    }
  }

  // The flat prior: every weight of the hidden party ranges over [0, 1], divided by the sum.
  model::Scenario hidden_scenario = scenario;
  for (std::size_t issue_idx = 0; issue_idx < scenario.issues.size(); ++issue_idx) {
    model::ValueRange range;
    range.value = truth[issue_idx];
    range.low = 0;
    range.high = 1;
    hidden_scenario.uncertainty
        .ranges["parties." + party.id + ".preferences.weights." + scenario.issues[issue_idx].id] =
        range;
  }
  hidden_scenario.uncertainty.weight_scales[party.id] = model::WeightScale{1, true};
  Result<uncertainty::ParameterSet> set =
      uncertainty::ParameterSet::Build(hidden_scenario, principals, 0);
  if (!set.ok()) return result;
  std::vector<std::vector<double>> prior = uncertainty::DrawPriorSamples(*set, samples, 7, 0);
  uncertainty::LearningOptions options;
  options.seed = 7;
  Result<uncertainty::Posterior> posterior =
      uncertainty::LearnFromRecord(*set, record, prior, options);
  if (!posterior.ok()) return result;
  for (const uncertainty::LearnedParameter& learned : posterior->parameters) {
    const uncertainty::Parameter& parameter = set->parameters()[learned.parameter];
    if (parameter.kind != uncertainty::ParameterKind::kWeight) continue;
    const double true_weight = truth[parameter.issue_idx];
    result.prior_error += std::fabs(learned.prior.mean - true_weight);
    result.posterior_error += std::fabs(learned.posterior.mean - true_weight);
    if (learned.posterior.low <= true_weight && true_weight <= learned.posterior.high) {
      ++result.covered;
    }
    ++result.weights;
  }
  if (result.weights > 0) {
    result.prior_error /= static_cast<double>(result.weights);
    result.posterior_error /= static_cast<double>(result.weights);
  }
  return result;
}

CalibrationSummary Summarize(const std::vector<CalibrationCase>& cases) {
  CalibrationSummary summary;
  std::size_t weights = 0;
  std::size_t covered = 0;
  summary.table =
      fmt::format("{:<28} {:<30} {:>7} {:>6} {:>9} {:>9} {:>9} {:>8}\n", "scenario", "strategies",
                  "weights", "offers", "prior MAE", "post MAE", "reduction", "covered");
  for (const CalibrationCase& entry : cases) {
    if (entry.weights == 0 || entry.prior_error <= 0) continue;
    double reduction = 1 - entry.posterior_error / entry.prior_error;
    summary.mean_reduction += reduction;
    weights += entry.weights;
    covered += entry.covered;
    ++summary.cases;
    summary.table += fmt::format(
        "{:<28} {:<30} {:>7} {:>6} {:>9.4f} {:>9.4f} {:>8.0f}% {:>5}/{:<2}\n", entry.scenario,
        entry.strategies, entry.weights, entry.offers, entry.prior_error, entry.posterior_error,
        reduction * 100, entry.covered, entry.weights);
  }
  if (summary.cases > 0) summary.mean_reduction /= static_cast<double>(summary.cases);
  summary.coverage = weights > 0 ? static_cast<double>(covered) / static_cast<double>(weights) : 0;
  summary.table += fmt::format(
      "{} cases: mean reduction of the error {:.1f}%, 90% intervals cover "
      "{:.1f}% of {} true weights\n",
      summary.cases, summary.mean_reduction * 100, summary.coverage * 100, weights);
  return summary;
}

std::vector<ForecastCase> RunForecasts(const std::vector<std::string>& folders,
                                       std::size_t max_cases, int rounds, std::uint64_t seed_base,
                                       bool every_pair,
                                       const uncertainty::ForecastOptions& base_options) {
  std::vector<ForecastCase> cases;
  std::size_t session_idx = 0;
  for (std::size_t first = 0; first < kForecastPool.size(); ++first) {
    for (std::size_t second = 0; second < kForecastPool.size(); ++second) {
      for (const std::string& folder : folders) {
        if (cases.size() >= max_cases) return cases;
        ++session_idx;
        // Spread the pairs over the scenarios rather than taking every pair on each.
        if (!every_pair && (session_idx * 7 + first * 3 + second) % 3 != 0) continue;
        Result<model::Scenario> scenario = io::LoadScenario(folder);
        if (!scenario.ok()) continue;
        std::vector<std::size_t> principals = scenario->PrincipalIndices();
        session::SessionConfig config;
        config.protocol = "alternating_offers";
        config.rounds = rounds;
        config.seed = seed_base + session_idx;
        config.strategies[principals[0]] = kForecastPool[first];
        config.strategies[principals[1]] = kForecastPool[second];
        Result<session::Trace> trace = session::RunSession(*scenario, config);
        if (!trace.ok()) continue;
        const int cut = rounds / 2;
        // Sessions already over at the cut are known, not forecast.
        if (trace->result.rounds - 1 < cut) continue;
        model::Record record = session::RecordFromTrace(*scenario, *trace);
        uncertainty::ForecastOptions options = base_options;
        options.at_round = cut;
        options.bootstrap = 0;
        Result<uncertainty::Forecast> forecast =
            uncertainty::ForecastAgreement(*scenario, record, options);
        if (!forecast.ok()) continue;
        ForecastCase entry;
        entry.scenario = fs::path(folder).filename().string();
        entry.strategies = kForecastPool[first] + " vs " + kForecastPool[second];
        entry.probability = forecast->agreement_probability.estimate;
        entry.agreement = trace->result.agreement;
        entry.evidence = forecast->evidence;
        cases.push_back(entry);
      }
    }
  }
  return cases;
}

std::string CasesTable(const std::vector<ForecastCase>& cases) {
  std::string out;
  for (const ForecastCase& entry : cases) {
    const uncertainty::ForecastEvidence& e = entry.evidence;
    out += fmt::format(
        "case {} {} {:.4f} {:d} {:.4f} {:.4f} {:.4f} {:.4f} {:.4f} {:.4f} {:.4f} "
        "{:.4f} {:.4f} {:.4f} {:d} {:.4f} {:.4f}\n",
        entry.scenario, entry.strategies, entry.probability, entry.agreement, e.model_probability,
        e.conceded[0], e.conceded[1], e.recent[0], e.recent[1], e.novelty[0], e.novelty[1],
        e.reactivity, e.gap_closed, e.pace, e.available, e.need[0], e.need[1]);
  }
  return out;
}

uncertainty::ForecastOptions::Calibration FitCalibration(const std::vector<ForecastCase>& cases) {
  constexpr std::size_t kCoefficients = 6;
  using Row = std::array<double, kCoefficients>;
  std::vector<Row> rows;
  std::vector<double> outcomes;
  for (const ForecastCase& entry : cases) {
    const uncertainty::ForecastEvidence& e = entry.evidence;
    if (!e.available) continue;
    const double p = std::clamp(e.model_probability, 0.02, 0.98);
    rows.push_back({1.0, std::log(p / (1 - p)), std::min(e.need[0], e.need[1]),
                    std::min(e.conceded[0], e.conceded[1]), std::min(e.novelty[0], e.novelty[1]),
                    e.unmoved ? 1.0 : 0.0});
    outcomes.push_back(entry.agreement ? 1 : 0);
  }
  Row coefficients{};
  constexpr double kRidge = 0.01;
  for (int iteration = 0; iteration < 50; ++iteration) {
    Row gradient{};
    std::array<Row, kCoefficients> hessian{};
    for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
      const Row& x = rows[row_idx];
      double score = 0;
      for (std::size_t i = 0; i < kCoefficients; ++i) score += coefficients[i] * x[i];
      const double p = 1 / (1 + std::exp(-score));
      for (std::size_t i = 0; i < kCoefficients; ++i) {
        gradient[i] += (outcomes[row_idx] - p) * x[i];
        for (std::size_t j = 0; j < kCoefficients; ++j) hessian[i][j] += p * (1 - p) * x[i] * x[j];
      }
    }
    for (std::size_t i = 1; i < kCoefficients; ++i) {
      gradient[i] -= kRidge * coefficients[i];
      hessian[i][i] += kRidge;
    }
    // Solve hessian * step = gradient (Gauss-Jordan with partial pivoting).
    for (std::size_t col = 0; col < kCoefficients; ++col) {
      std::size_t pivot = col;
      for (std::size_t r = col + 1; r < kCoefficients; ++r) {
        if (std::fabs(hessian[r][col]) > std::fabs(hessian[pivot][col])) pivot = r;
      }
      std::swap(hessian[col], hessian[pivot]);
      std::swap(gradient[col], gradient[pivot]);
      for (std::size_t r = 0; r < kCoefficients; ++r) {
        if (r == col || hessian[col][col] == 0) continue;
        const double factor = hessian[r][col] / hessian[col][col];
        for (std::size_t k = col; k < kCoefficients; ++k) hessian[r][k] -= factor * hessian[col][k];
        gradient[r] -= factor * gradient[col];
      }
    }
    double largest = 0;
    for (std::size_t i = 0; i < kCoefficients; ++i) {
      const double step = hessian[i][i] != 0 ? gradient[i] / hessian[i][i] : 0;
      coefficients[i] += step;
      largest = std::max(largest, std::fabs(step));
    }
    if (largest < 1e-10) break;
  }
  uncertainty::ForecastOptions::Calibration calibration;
  calibration.intercept = coefficients[0];
  calibration.model = coefficients[1];
  calibration.need = coefficients[2];
  calibration.conceded = coefficients[3];
  calibration.novelty = coefficients[4];
  calibration.unmoved = coefficients[5];
  return calibration;
}

SkillSummary SummarizeSkill(const std::vector<ForecastCase>& cases) {
  SkillSummary summary;
  summary.cases = cases.size();
  if (cases.empty()) return summary;
  for (const ForecastCase& entry : cases) summary.base_rate += entry.agreement ? 1 : 0;
  summary.base_rate /= static_cast<double>(cases.size());
  for (const ForecastCase& entry : cases) {
    double outcome = entry.agreement ? 1 : 0;
    summary.brier += (entry.probability - outcome) * (entry.probability - outcome);
    summary.brier_base_rate += (summary.base_rate - outcome) * (summary.base_rate - outcome);
  }
  summary.brier /= static_cast<double>(cases.size());
  summary.brier_base_rate /= static_cast<double>(cases.size());
  summary.skill = summary.brier_base_rate > 0 ? 1 - summary.brier / summary.brier_base_rate : 0;
  const std::vector<double> edges = {0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0000001};
  summary.table = fmt::format("{:<12} {:>8} {:>14} {:>14}\n", "forecast", "sessions",
                              "mean forecast", "agreed");
  for (std::size_t bin = 0; bin + 1 < edges.size(); ++bin) {
    double forecast_sum = 0;
    double agreed = 0;
    std::size_t count = 0;
    for (const ForecastCase& entry : cases) {
      if (entry.probability >= edges[bin] && entry.probability < edges[bin + 1]) {
        forecast_sum += entry.probability;
        agreed += entry.agreement ? 1 : 0;
        ++count;
      }
    }
    summary.table += fmt::format(
        "{:<12} {:>8} {:>14} {:>14}\n",
        fmt::format("[{:.1f}, {:.1f}{}", edges[bin], std::min(1.0, edges[bin + 1]),
                    bin + 2 == edges.size() ? "]" : ")"),
        count, count ? fmt::format("{:.3f}", forecast_sum / static_cast<double>(count)) : "-",
        count ? fmt::format("{:.3f}", agreed / static_cast<double>(count)) : "-");
  }
  summary.table += fmt::format(
      "{} sessions, base rate {:.3f}: Brier {:.4f} against {:.4f} for the base rate, skill "
      "{:.1f}%\n",
      summary.cases, summary.base_rate, summary.brier, summary.brier_base_rate,
      summary.skill * 100);
  return summary;
}

}  // namespace parley::testing
