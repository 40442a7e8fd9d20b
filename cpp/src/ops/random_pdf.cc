// Densities of MXNet's sampling distributions (random_pdf_*): each is a
// composition of registered ops (log, gammaln, broadcasting arithmetic, sum),
// so gradients in the sample and in the parameters, of any order, come from
// those ops. No op of its own is registered here.
//
// Layout (MXNet's): the parameter arrays share one shape P, which must lead
// the sample's shape P + S; entry [p, s] of the result is the density of
// sample[p, s] under the parameters at p. Dirichlet's alpha is P + (k,) with
// sample P + S + (k,) and result P + S.
#include <cmath>
#include <utility>
#include <vector>

#include "ops/common.h"

namespace mxlite {
namespace np {
namespace {

constexpr double kSqrt2Pi = 2.50662827463100050242;     // sqrt(2 pi)
constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // log(sqrt(2 pi))

struct Param {
  const char* name;
  const NDArray& value;
};

void check_input(const char* op, const char* name, const NDArray& a, const NDArray& sample) {
  MXLITE_CHECK(a.defined(), op, "the required argument '", name, "' is missing");
  MXLITE_CHECK_AS(TypeError, is_floating(a.dtype()), op, "the arrays must be float32 or float64, got ", name,
                  " of dtype ", dtype_name(a.dtype()), " (shape ", a.shape(), ")");
  MXLITE_CHECK_AS(TypeError, a.dtype() == sample.dtype(), op, "the arrays must share one dtype, got sample of dtype ",
                  dtype_name(sample.dtype()), " and ", name, " of dtype ", dtype_name(a.dtype()));
}

/// The scalar parameters, checked (same shape P, P leading sample's shape)
/// and reshaped to P + (1,) * len(S) so that they broadcast against sample.
std::vector<NDArray> scalar_params(const char* op, const NDArray& sample, std::initializer_list<Param> params) {
  MXLITE_CHECK(sample.defined(), op, "the required argument 'sample' is missing");
  MXLITE_CHECK_AS(TypeError, is_floating(sample.dtype()), op,
                  "the arrays must be float32 or float64, got sample of dtype ", dtype_name(sample.dtype()), " (shape ",
                  sample.shape(), ")");
  const Param& first = *params.begin();
  for (const Param& p : params) {
    check_input(op, p.name, p.value, sample);
    MXLITE_CHECK(p.value.shape() == first.value.shape(), op, "the parameters must have one shape, got ", first.name,
                 " of shape ", first.value.shape(), " and ", p.name, " of shape ", p.value.shape());
  }
  const Shape& ps = first.value.shape();
  const Shape& ss = sample.shape();
  bool leads = ps.size() <= ss.size();
  for (size_t i = 0; leads && i < ps.size(); ++i) leads = ps[i] == ss[i];
  MXLITE_CHECK(leads, op, "the parameter shape ", ps, " must lead the sample shape ", ss,
               " (sample of shape P + S for parameters of shape P)");
  Shape view = ps;
  while (view.size() < ss.size()) view.push_back(1);
  std::vector<NDArray> out;
  for (const Param& p : params) out.push_back(view == ps ? p.value : reshape(p.value, view));
  return out;
}

/// `value` (broadcast to sample's shape) as a function of `sample` whose
/// gradient there is 0: where() routes the gradient to the chosen branch
/// only. MXNet's gradient in the sample of the uniform and discrete densities
/// is 0, and the sample stays part of the graph (autograd.grad gives zeros).
NDArray zero_gradient_in(const NDArray& value, const NDArray& sample) {
  return where(scalar(1, DType::Bool), value, sample);
}

/// density = exp(log density), or the log density itself.
NDArray finish(const NDArray& lpdf, bool is_log) { return is_log ? lpdf : exp(lpdf); }

/// log C(x + k - 1, x) + k log(p) + x log(1 - p): MXNet's negative binomial
/// with k the failure limit and p the failure probability.
NDArray negative_binomial_lpdf(const NDArray& x, const NDArray& k, const NDArray& p) {
  return gammaln(x + k) - gammaln(x + 1.0) - gammaln(k) + k * log(p) + x * log1p(-p);
}

}  // namespace

NDArray random_pdf_uniform(const NDArray& sample, const NDArray& low, const NDArray& high, bool is_log) {
  const auto p = scalar_params("random_pdf_uniform", sample, {{"low", low}, {"high", high}});
  // As in MXNet, the sample's place in the support is not checked: every
  // sample gets 1 / (high - low), and no gradient flows to the sample.
  const NDArray width = p[1] - p[0];
  const NDArray density = is_log ? negative(log(width)) : reciprocal(width);
  return zero_gradient_in(density, sample);
}

NDArray random_pdf_normal(const NDArray& sample, const NDArray& mu, const NDArray& sigma, bool is_log) {
  const auto p = scalar_params("random_pdf_normal", sample, {{"mu", mu}, {"sigma", sigma}});
  const NDArray exponent = square((sample - p[0]) / p[1]) * -0.5;
  if (is_log) return exponent - log(p[1]) - kLogSqrt2Pi;
  return exp(exponent) / (p[1] * kSqrt2Pi);
}

NDArray random_pdf_gamma(const NDArray& sample, const NDArray& alpha, const NDArray& beta, bool is_log) {
  const auto p = scalar_params("random_pdf_gamma", sample, {{"alpha", alpha}, {"beta", beta}});
  // beta is the rate: a log(b) + (a - 1) log(x) - b x - lgamma(a).
  const NDArray& a = p[0];
  const NDArray& b = p[1];
  return finish(a * log(b) + (a - 1.0) * log(sample) - b * sample - gammaln(a), is_log);
}

NDArray random_pdf_exponential(const NDArray& sample, const NDArray& lam, bool is_log) {
  const auto p = scalar_params("random_pdf_exponential", sample, {{"lam", lam}});
  if (is_log) return log(p[0]) - p[0] * sample;
  return p[0] * exp(negative(p[0] * sample));
}

// The discrete densities pass no gradient to the sample (MXNet's gradient
// there is 0, not that of the continuous formula in lgamma(x + 1)).
NDArray random_pdf_poisson(const NDArray& sample, const NDArray& lam, bool is_log) {
  const auto p = scalar_params("random_pdf_poisson", sample, {{"lam", lam}});
  const NDArray x = zero_gradient_in(sample.detach(), sample);
  return finish(x * log(p[0]) - gammaln(x + 1.0) - p[0], is_log);
}

NDArray random_pdf_negative_binomial(const NDArray& sample, const NDArray& k, const NDArray& prob, bool is_log) {
  const auto p = scalar_params("random_pdf_negative_binomial", sample, {{"k", k}, {"p", prob}});
  return finish(negative_binomial_lpdf(zero_gradient_in(sample.detach(), sample), p[0], p[1]), is_log);
}

NDArray random_pdf_generalized_negative_binomial(const NDArray& sample, const NDArray& mu, const NDArray& alpha,
                                                 bool is_log) {
  const auto p = scalar_params("random_pdf_generalized_negative_binomial", sample, {{"mu", mu}, {"alpha", alpha}});
  // The negative binomial with k = 1 / alpha and p = 1 / (mu alpha + 1).
  const NDArray k = reciprocal(p[1]);
  const NDArray prob = reciprocal(p[0] * p[1] + 1.0);
  return finish(negative_binomial_lpdf(zero_gradient_in(sample.detach(), sample), k, prob), is_log);
}

NDArray random_pdf_dirichlet(const NDArray& sample, const NDArray& alpha, bool is_log) {
  const char* op = "random_pdf_dirichlet";
  MXLITE_CHECK(sample.defined(), op, "the required argument 'sample' is missing");
  MXLITE_CHECK_AS(TypeError, is_floating(sample.dtype()), op,
                  "the arrays must be float32 or float64, got sample of dtype ", dtype_name(sample.dtype()), " (shape ",
                  sample.shape(), ")");
  check_input(op, "alpha", alpha, sample);
  const Shape& as = alpha.shape();
  const Shape& ss = sample.shape();
  bool fits = !as.empty() && as.size() <= ss.size() && as.back() == ss.back();
  for (size_t i = 0; fits && i + 1 < as.size(); ++i) fits = as[i] == ss[i];
  MXLITE_CHECK(fits, op, "alpha of shape ", as, " does not fit the sample shape ", ss,
               ": alpha must be P + (k,) for samples of shape P + S + (k,)");
  // alpha as P + (1,) * len(S) + (k,), and the per-distribution terms as P + (1,) * len(S).
  Shape term_view(as.begin(), as.end() - 1);
  while (term_view.size() + 1 < ss.size()) term_view.push_back(1);
  Shape alpha_view = term_view;
  alpha_view.push_back(as.back());
  const NDArray a = alpha_view == as ? alpha : reshape(alpha, alpha_view);
  const Axes k_axis{-1};
  const NDArray log_norm = gammaln(sum(alpha, k_axis)) - sum(gammaln(alpha), k_axis);
  NDArray lpdf = sum((a - 1.0) * log(sample), k_axis) + reshape(log_norm, term_view);
  if (ss.size() == 1) lpdf = reshape(lpdf, Shape{1});  // one vector sample: shape (1,), as in MXNet
  return finish(lpdf, is_log);
}

}  // namespace np
}  // namespace mxlite
