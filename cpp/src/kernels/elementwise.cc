#include "kernels/elementwise.h"

namespace mxlite {
namespace kernels {

BroadcastPlan plan_broadcast(const Shape& a, const Shape& b, const Shape& out) {
  const size_t nd = out.size();
  // Strides of a and b aligned to the output's dimensions.
  Dims sa(nd, 0), sb(nd, 0);
  int64_t st = 1;
  for (size_t i = a.size(); i-- > 0;) {
    sa[nd - a.size() + i] = a[i] == 1 ? 0 : st;
    st *= a[i];
  }
  st = 1;
  for (size_t i = b.size(); i-- > 0;) {
    sb[nd - b.size() + i] = b[i] == 1 ? 0 : st;
    st *= b[i];
  }
  BroadcastPlan p;
  for (size_t i = 0; i < nd; ++i) {
    if (out[i] == 1) continue;
    if (!p.shape.empty()) {
      size_t k = p.shape.size() - 1;
      // Merge with the previous dim when both walk memory the same way.
      bool a_merge = p.a_strides[k] == sa[i] * out[i];
      bool b_merge = p.b_strides[k] == sb[i] * out[i];
      if (a_merge && b_merge) {
        p.shape[k] *= out[i];
        p.a_strides[k] = sa[i];
        p.b_strides[k] = sb[i];
        continue;
      }
    }
    p.shape.push_back(out[i]);
    p.a_strides.push_back(sa[i]);
    p.b_strides.push_back(sb[i]);
  }
  if (p.shape.empty()) {
    p.shape.push_back(1);
    p.a_strides.push_back(0);
    p.b_strides.push_back(0);
  }
  return p;
}

}  // namespace kernels
}  // namespace mxlite
