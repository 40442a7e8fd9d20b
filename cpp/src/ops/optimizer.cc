// MXNet's fused optimizer updates (sgd_update, adam_update, ...): one kernel
// per parameter update, parallel over the elements, float32 or float64. Each
// op reads weight and grad, updates its state arrays (momentum, moments, ...)
// in place and returns the new weight; with out= being the weight (as
// mx.optimizer passes it) the weight is updated in place too. The arithmetic
// follows MXNet's kernels term by term, in the array's dtype, with the
// hyper-parameters held as float as MXNet's are, so results match MXNet's.
// Not differentiable (MXNet's have no gradient either): under autograd
// recording an update of an array in a graph is refused, as in MXNet.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace np {
namespace {

/// MXNet's clip(x, bound): x limited to [-bound, bound].
template <class T> inline T clip(T x, T bound) { return x > bound ? bound : (x < -bound ? -bound : x); }
/// 1, -1 or 0 by the sign of x, in T.
template <class T> inline T sign_of(T x) { return static_cast<T>((x > T(0)) - (x < T(0))); }

/// What every update kernel reads and writes: the output, the weight and
/// grad, and the state arrays (updated in place).
template <class T> struct Step {
  T* out;
  const T* w;
  const T* g;
  T* s[3];
};

// ---- the kernels (MXNet's formulas, in its order of operations) -------------

struct Sgd {
  static constexpr int kStates = 0;
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient);
    const T decay = T(1) - lr * wd;
    if (cg >= T(0)) {
      for (int64_t i = b; i < e; ++i) s.out[i] = decay * s.w[i] - lr * clip(rescale * s.g[i], cg);
    } else {
      const T lr_rescale = lr * rescale;
      for (int64_t i = b; i < e; ++i) s.out[i] = decay * s.w[i] - lr_rescale * s.g[i];
    }
  }
};

struct SgdMom {
  static constexpr int kStates = 1;  // mom
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient), mu = T(p.momentum);
    T* mom = s.s[0];
    const T lr_wd = lr * wd, lr_rescale = lr * rescale;
    for (int64_t i = b; i < e; ++i) {
      if (cg >= T(0))
        mom[i] = mu * mom[i] - lr_wd * s.w[i] - lr * clip(rescale * s.g[i], cg);
      else
        mom[i] = mu * mom[i] - lr_wd * s.w[i] - lr_rescale * s.g[i];
      s.out[i] = s.w[i] + mom[i];
    }
  }
};

struct NagMom {
  static constexpr int kStates = 1;  // mom
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient), mu = T(p.momentum);
    T* mom = s.s[0];
    for (int64_t i = b; i < e; ++i) {
      const T g = cg >= T(0) ? clip(rescale * s.g[i], cg) : rescale * s.g[i];
      mom[i] = mu * mom[i];
      s.out[i] = s.w[i] - mom[i] + (mu + T(1)) * (mom[i] - lr * (g + wd * s.w[i]));
      // As in MXNet, this reads the weight after the write above: with out=
      // being the weight, the decay term uses the new weight.
      mom[i] = mom[i] - lr * (g + wd * s.w[i]);
    }
  }
};

struct Adam {
  static constexpr int kStates = 2;  // mean, var
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient);
    const T b1 = T(p.beta1), b2 = T(p.beta2), eps = T(p.epsilon);
    T *mean = s.s[0], *var = s.s[1];
    for (int64_t i = b; i < e; ++i) {
      T g = s.g[i] * rescale + s.w[i] * wd;
      if (cg >= T(0)) g = clip(g, cg);
      mean[i] = b1 * mean[i] + (T(1) - b1) * g;
      var[i] = b2 * var[i] + (T(1) - b2) * g * g;
      s.out[i] = s.w[i] - lr * mean[i] / (std::sqrt(var[i]) + eps);
    }
  }
};

struct AdamW {
  static constexpr int kStates = 2;  // mean, var
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), eta = T(p.eta), eps = T(p.epsilon);
    const T b1 = T(p.beta1), b2 = T(p.beta2), c1 = T(1.f - p.beta1), c2 = T(1.f - p.beta2);
    T *mean = s.s[0], *var = s.s[1];
    for (int64_t i = b; i < e; ++i) {
      T g = rescale * s.g[i];
      if (p.clip_gradient >= 0.f) g = clip(g, T(p.clip_gradient));
      mean[i] = b1 * mean[i] + c1 * g;
      var[i] = b2 * var[i] + c2 * (g * g);
      s.out[i] = s.w[i] - eta * (lr * mean[i] / (std::sqrt(var[i]) + eps) + wd * s.w[i]);
    }
  }
};

struct RmsProp {
  static constexpr int kStates = 1;  // n
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient);
    const T g1 = T(p.gamma1), eps = T(p.epsilon), cw = T(p.clip_weights);
    T* n = s.s[0];
    for (int64_t i = b; i < e; ++i) {
      T g = rescale * s.g[i] + wd * s.w[i];
      if (cg >= T(0)) g = clip(g, cg);
      n[i] = (T(1) - g1) * (g * g) + g1 * n[i];
      T w = s.w[i] - lr * (g / std::sqrt(n[i] + eps));
      if (cw >= T(0)) w = clip(w, cw);
      s.out[i] = w;
    }
  }
};

struct RmsPropAlex {
  static constexpr int kStates = 3;  // n, g, delta
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient);
    const T g1 = T(p.gamma1), g2 = T(p.gamma2), eps = T(p.epsilon), cw = T(p.clip_weights);
    T *n = s.s[0], *gs = s.s[1], *delta = s.s[2];
    for (int64_t i = b; i < e; ++i) {
      T g = rescale * s.g[i] + wd * s.w[i];
      if (cg >= T(0)) g = clip(g, cg);
      n[i] = (T(1) - g1) * g * g + g1 * n[i];
      gs[i] = (T(1) - g1) * g + g1 * gs[i];
      delta[i] = g2 * delta[i] - (lr * g / std::sqrt(n[i] - gs[i] * gs[i] + eps));
      s.out[i] = cw >= T(0) ? clip(s.w[i] + delta[i], cw) : s.w[i] + delta[i];
    }
  }
};

struct Ftrl {
  static constexpr int kStates = 2;  // z, n
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient);
    const T beta = T(p.beta), l1 = T(p.lamda1);
    T *z = s.s[0], *n = s.s[1];
    for (int64_t i = b; i < e; ++i) {
      T g = s.g[i] * rescale;
      if (cg >= T(0)) g = clip(g, cg);
      z[i] += g - (std::sqrt(n[i] + g * g) - std::sqrt(n[i])) * s.w[i] / lr;
      n[i] += g * g;
      const T keep = std::abs(z[i]) > l1 ? T(1) : T(0);
      s.out[i] = (sign_of(z[i]) * l1 - z[i]) / ((beta + std::sqrt(n[i])) / lr + wd) * keep;
    }
  }
};

struct SignSgd {
  static constexpr int kStates = 0;
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    // As in MXNet, only the gradient's sign matters: rescale_grad and
    // clip_gradient change nothing.
    const T lr = T(p.lr), decay = T(1) - lr * T(p.wd);
    for (int64_t i = b; i < e; ++i) s.out[i] = decay * s.w[i] - lr * sign_of(s.g[i]);
  }
};

struct Signum {
  static constexpr int kStates = 1;  // mom
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T lr = T(p.lr), wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient), mu = T(p.momentum);
    const T rest = T(1) - mu, decay = T(1) - lr * T(p.wd_lh);
    T* mom = s.s[0];
    for (int64_t i = b; i < e; ++i) {
      if (cg >= T(0))
        mom[i] = mu * mom[i] - rest * wd * s.w[i] - rest * clip(rescale * s.g[i], cg);
      else
        mom[i] = mu * mom[i] - rest * wd * s.w[i] - rest * rescale * s.g[i];
      s.out[i] = decay * s.w[i] + lr * sign_of(mom[i]);
    }
  }
};

struct LambPhase1 {
  static constexpr int kStates = 2;  // mean, var
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    const T wd = T(p.wd), rescale = T(p.rescale_grad), cg = T(p.clip_gradient), eps = T(p.epsilon);
    const T b1 = T(p.beta1), b2 = T(p.beta2);
    // beta^t in double, as std::pow(float, int) computes it in MXNet.
    const T b1_t = T(std::pow(double(p.beta1), double(p.t))), b2_t = T(std::pow(double(p.beta2), double(p.t)));
    T *mean = s.s[0], *var = s.s[1];
    for (int64_t i = b; i < e; ++i) {
      T g = s.g[i] * rescale;
      if (cg >= T(0)) g = clip(g, cg);
      mean[i] = b1 * mean[i] + (T(1) - b1) * g;
      var[i] = b2 * var[i] + (T(1) - b2) * g * g;
      if (p.bias_correction) {
        const T mean_hat = T(double(mean[i]) / (1.0 - double(b1_t)));
        const T var_hat = var[i] / (T(1) - b2_t);
        s.out[i] = mean_hat / (std::sqrt(var_hat) + eps) + wd * s.w[i];
      } else {
        s.out[i] = mean[i] / (std::sqrt(var[i]) + eps) + wd * s.w[i];
      }
    }
  }
};

struct LambPhase2 {
  static constexpr int kStates = 2;  // r1, r2 (one element each, read only)
  template <class T> static void step(const OptimizerParams& p, const Step<T>& s, int64_t b, int64_t e) {
    T r1 = s.s[0][0];
    const T r2 = s.s[1][0];
    if (p.lower_bound >= 0.f) r1 = std::max(r1, T(p.lower_bound));
    if (p.upper_bound >= 0.f) r1 = std::min(r1, T(p.upper_bound));
    T lr = T(p.lr);
    if (!(r1 == T(0) || r2 == T(0))) lr = lr * r1 / r2;
    for (int64_t i = b; i < e; ++i) s.out[i] = s.w[i] - lr * s.g[i];
  }
};

/// Runs U's update over the elements, in parallel when the arrays are large.
template <class U> void update_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const OptimizerParams& p = attrs.params<OptimizerParams>();
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "optimizer update", {
    Step<T> st{out[0].data<T>(), in[0].data<T>(), in[1].data<T>(), {nullptr, nullptr, nullptr}};
    for (int k = 0; k < U::kStates; ++k) st.s[k] = in[2 + k].data<T>();
    kernels::for_range(in[0].size(), kernels::kParallelGrain, [&](int64_t b, int64_t e) { U::step(p, st, b, e); });
  });
}

/// One fused update: MXNet's op name, the names of its inputs after weight
/// and grad (in MXNet's order), its kernel, whether it writes those inputs.
struct UpdateOp {
  const char* name;
  std::vector<const char*> states;
  KernelFn kernel;
  bool mutates_states;
};

const std::vector<UpdateOp>& update_ops() {
  static const std::vector<UpdateOp> ops = {
      {"sgd_update", {}, &update_kernel<Sgd>, true},
      {"sgd_mom_update", {"mom"}, &update_kernel<SgdMom>, true},
      {"nag_mom_update", {"mom"}, &update_kernel<NagMom>, true},
      {"adam_update", {"mean", "var"}, &update_kernel<Adam>, true},
      {"adamw_update", {"mean", "var"}, &update_kernel<AdamW>, true},
      {"rmsprop_update", {"n"}, &update_kernel<RmsProp>, true},
      {"rmspropalex_update", {"n", "g", "delta"}, &update_kernel<RmsPropAlex>, true},
      {"ftrl_update", {"z", "n"}, &update_kernel<Ftrl>, true},
      {"signsgd_update", {}, &update_kernel<SignSgd>, true},
      {"signum_update", {"mom"}, &update_kernel<Signum>, true},
      {"lamb_update_phase1", {"mean", "var"}, &update_kernel<LambPhase1>, true},
      {"lamb_update_phase2", {"r1", "r2"}, &update_kernel<LambPhase2>, false},
  };
  return ops;
}

const UpdateOp& find_update(const std::string& name) {
  for (const UpdateOp& u : update_ops())
    if (name == u.name) return u;
  throw Error("optimizer_update", "no optimizer update named '" + name + "'");
}

/// weight, grad and the states share the weight's shape and dtype (float32
/// or float64); lamb_update_phase2's r1 and r2 hold one element each.
/// (np::optimizer_update checks them before the op runs.)
void infer_update(const Attrs&, Span<NDArray> in, MetaList& out) { out.push_back({in[0].shape(), in[0].dtype()}); }

}  // namespace

NDArray optimizer_update(const std::string& name, const std::vector<NDArray>& arrays, const OptimizerParams& p,
                         const NDArray& out) {
  const UpdateOp& u = find_update(name);
  const char* fn = u.name;
  const size_t expected = 2 + u.states.size();
  MXLITE_CHECK(arrays.size() == expected, fn, "expected ", expected, " arrays (weight, grad",
               u.states.empty() ? "" : ", ...", "), got ", arrays.size());
  std::vector<const char*> names = {"weight", std::string(fn) == "lamb_update_phase2" ? "g" : "grad"};
  names.insert(names.end(), u.states.begin(), u.states.end());
  for (size_t k = 0; k < arrays.size(); ++k)
    MXLITE_CHECK(arrays[k].defined(), fn, "the required argument '", names[k], "' is missing");
  const NDArray& w = arrays[0];
  MXLITE_CHECK_AS(TypeError, is_floating(w.dtype()), fn, "weight must be float16, float32 or float64, got ",
                  dtype_name(w.dtype()), " (shape ", w.shape(), ")");
  const bool phase2 = std::string(fn) == "lamb_update_phase2";
  for (size_t k = 1; k < arrays.size(); ++k) {
    const NDArray& a = arrays[k];
    MXLITE_CHECK_AS(TypeError, a.dtype() == w.dtype(), fn, names[k], " has dtype ", dtype_name(a.dtype()),
                    " but weight has dtype ", dtype_name(w.dtype()), " (they must be the same)");
    if (phase2 && k >= 2)
      MXLITE_CHECK(a.size() == 1, fn, names[k], " must hold one element (the norm), got shape ", a.shape());
    else
      MXLITE_CHECK(a.shape() == w.shape(), fn, names[k], " has shape ", a.shape(), " but weight has shape ", w.shape(),
                   " (they must be the same)");
  }
  MXLITE_CHECK(p.t >= 0, fn, "t must be non-negative, got ", p.t);
  if (u.mutates_states)
    for (size_t k = 2; k < arrays.size(); ++k) autograd::check_inplace_allowed(arrays[k], NDArray(), fn);
  Attrs attrs;
  attrs.set_params(p);
  static const std::vector<const OpDef*> defs = [] {
    std::vector<const OpDef*> d;
    for (const UpdateOp& x : update_ops()) d.push_back(&op(x.name));
    return d;
  }();
  const OpDef& def = *defs[static_cast<size_t>(&u - update_ops().data())];
  // Under autograd recording this behaves as MXNet's ops without a gradient:
  // recorded when an input is in a graph (backward gives zeros), and out= an
  // array in a graph (an attached weight) is refused with MXNet's message.
  const NDArray result = invoke1(def, Span<NDArray>(arrays.data(), arrays.size()), attrs, out);
  if (u.mutates_states)
    for (size_t k = 2; k < arrays.size(); ++k) arrays[k].bump_version();
  return result;
}

}  // namespace np

namespace ops {
void register_optimizer_ops() {
  for (const np::UpdateOp& u : np::update_ops())
    register_op(u.name)
        .inputs(static_cast<int>(2 + u.states.size()))
        .set_infer(&np::infer_update)
        .set_kernel(u.kernel)
        .set_flags(kNotDifferentiable | kElementwise | (u.mutates_states ? kMutatesInputs : kNoFlags));
}
}  // namespace ops
}  // namespace mxlite
