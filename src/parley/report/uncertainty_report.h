// How parley presents uncertainty: the robust analysis, the posterior learned from a record and
// the forecast of agreement, as JSON for programs (docs/cli.md), text for people (plain words
// first; every probability with its interval) and HTML sections for reports (a tornado chart of
// sensitivity, the robust-package table, the probability of a zone, posterior against prior per
// parameter, the forecast with its interval and the gaps over time).
#pragma once

#include <string>

#include "parley/io/json.h"
#include "parley/model/record.h"
#include "parley/uncertainty/forecast.h"
#include "parley/uncertainty/learning.h"
#include "parley/uncertainty/robust.h"

namespace parley::report {

io::Json ProbabilityJson(const uncertainty::Probability& probability);

// `uncertainty`: samples, seed, spread, confidence, zopa_probability, summary, depends_on,
// robust_packages, sensitivity, warnings.
io::Json RobustToJson(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                      const uncertainty::RobustAnalysis& analysis);
// `posterior`: record, observations, parties_observed, likelihood, effective_samples,
// parameters [{parameter, prior {mean, low, high}, posterior {mean, low, high}}], uncertainty
// (the robust analysis on the posterior), warnings.
io::Json PosteriorToJson(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                         const uncertainty::Posterior& posterior,
                         const uncertainty::RobustAnalysis& robust, const std::string& record_file,
                         const model::Record& record);
io::Json ForecastToJson(const model::Scenario& scenario, const uncertainty::Forecast& forecast);

std::string RenderRobustText(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                             const uncertainty::RobustAnalysis& analysis);
std::string RenderPosteriorText(const model::Scenario& scenario,
                                const uncertainty::ParameterSet& set,
                                const uncertainty::Posterior& posterior,
                                const uncertainty::RobustAnalysis& robust,
                                const model::Record& record);
std::string RenderForecastText(const model::Scenario& scenario,
                               const uncertainty::Forecast& forecast);

// HTML sections (for ScenarioReportHtml's extra sections, or a page of their own).
std::string RobustSectionHtml(const model::Scenario& scenario, const uncertainty::ParameterSet& set,
                              const uncertainty::RobustAnalysis& analysis, const std::string& id,
                              const std::string& heading);
std::string PosteriorSectionHtml(const model::Scenario& scenario,
                                 const uncertainty::Posterior& posterior,
                                 const model::Record& record);
std::string ForecastSectionHtml(const model::Scenario& scenario,
                                const uncertainty::Forecast& forecast);
// A page with the forecast alone (`parley forecast --report`).
std::string ForecastReportHtml(const model::Scenario& scenario,
                               const uncertainty::Forecast& forecast);

}  // namespace parley::report
