// Ops that exist for autograd's sake: stop_gradient (MXNet's BlockGrad).
#include <cstring>

#include "ops/common.h"

namespace mxlite {
namespace ops {

void register_gradient_control_ops() {
  // The identity whose output is never recorded, so nothing flows back
  // through it: the result is a constant as far as autograd is concerned.
  register_op("stop_gradient")
      .set_infer(infer_like_input)
      .set_flags(kNotDifferentiable)
      .set_kernel([](const Attrs&, Span<NDArray> in, ArrayList& out) {
        std::memcpy(out[0].raw_data(), in[0].raw_data(), in[0].nbytes());
      });
}

}  // namespace ops

namespace np {
NDArray stop_gradient(const NDArray& a) {
  static const OpDef& o = op("stop_gradient");
  return invoke1(o, {a});
}
}  // namespace np

}  // namespace mxlite
