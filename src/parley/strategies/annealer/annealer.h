// Annealer: the simulated-annealing voter of Klein, Faratin, Sayama & Bar-Yam 2003. Like the hill
// climber it accepts any text at least as good as the reference text (see hill_climber.h); a
// worse text, losing d = u(reference) - u(text) > 0, it still accepts with probability
// exp(-d / T), where the temperature T = temperature * (1 - t) cools linearly to 0 at the
// deadline. Early acceptance of worse texts lets the single text escape local optima that trap
// hill climbers. It never accepts below its reservation value or across its red lines.
//
// Parameters (defaults): temperature=0.1 (initial temperature, in utility units).
#pragma once

#include "parley/strategies/hill_climber/hill_climber.h"

namespace parley::strategies {

class AnnealerStrategy : public HillClimberStrategy {
 public:
  explicit AnnealerStrategy(double temperature) : temperature_(temperature) {}
  // Probability of accepting a text that loses `loss` utility at relative time `time`.
  static double AcceptanceProbability(double loss, double temperature, double time);

 protected:
  bool VotesFor(const PartyView& view, const model::Outcome& text, double text_utility,
                double next_utility) override;

 private:
  double temperature_;
};

}  // namespace parley::strategies
