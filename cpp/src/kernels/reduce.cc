#include "kernels/reduce.h"

namespace mxlite {
namespace kernels {

ReducePlan plan_reduce(const Shape& in, const Axes& axes_sorted) {
  ReducePlan p;
  size_t k = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    bool r = k < axes_sorted.size() && axes_sorted[k] == static_cast<int64_t>(i);
    if (r) ++k;
    if (in[i] == 1) continue;
    if (!p.extents.empty() && p.reduced.back() == r) {
      p.extents.back() *= in[i];
    } else {
      p.extents.push_back(in[i]);
      p.reduced.push_back(r);
    }
  }
  // Zero-size reduced axes must stay visible so the count is zero.
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] == 0) {
      p.extents.clear();
      p.reduced.clear();
      int64_t kept = 1, red = 1;
      size_t kk = 0;
      for (size_t j = 0; j < in.size(); ++j) {
        bool r = kk < axes_sorted.size() && axes_sorted[kk] == static_cast<int64_t>(j);
        if (r) ++kk;
        (r ? red : kept) *= in[j];
      }
      p.extents.push_back(kept);
      p.reduced.push_back(false);
      p.extents.push_back(red);
      p.reduced.push_back(true);
      break;
    }
  return p;
}

}  // namespace kernels
}  // namespace mxlite
