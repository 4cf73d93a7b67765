// Telling GENIUS XML files apart by their content. The readers themselves (ReadGeniusFiles,
// ReadGeniusFolder) are declared in scenario_io.h; genius_xml.cc documents the semantics.
#pragma once

#include <string>

namespace parley::io {

// What a file holds, judged from its text, never from its name:
// - kDomain: a GENIUS domain (root element <negotiation_template>, or a <utility_space> that
//   only lists issues);
// - kProfile: a GENIUS preference profile (root <utility_space> with weights, evaluations,
//   evaluators or non-linear <utility> rectangles);
// - kOther: anything else, e.g. ANAC 2014's pareto.xml (CSV lines "u1,u2"), GENIUS tournament
//   logs (<Tournament>), or text that is not XML at all.
enum class GeniusFileKind { kDomain, kProfile, kOther };

// True when the text's first element is a GENIUS domain or profile root (<negotiation_template>
// or <utility_space>). Looks at the opening only, so it is cheap on large files and tolerant of
// damage further on.
bool LooksLikeGeniusXml(const std::string& text);

GeniusFileKind ClassifyGeniusXml(const std::string& text);

}  // namespace parley::io
