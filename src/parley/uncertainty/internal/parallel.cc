#include "parley/uncertainty/internal/parallel.h"

#include <cmath>

namespace parley::uncertainty::internal {

double Stream::Normal() {
  double u1 = Uniform();
  double u2 = Uniform();
  if (u1 < 1e-300) u1 = 1e-300;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * 3.14159265358979323846 * u2);
}

}  // namespace parley::uncertainty::internal
