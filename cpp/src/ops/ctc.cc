// Connectionist temporal classification loss (MXNet's CTCLoss): the negative
// log-likelihood of each label sequence under the per-step softmax of the
// activations, summed over all alignments with the forward-backward
// recursions in log space. The forward pass also produces the gradient with
// respect to the activations (softmax minus the alignment posteriors), which
// the backward pass scales by the incoming gradient; so the loss is
// differentiable once, as in MXNet.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/parallel.h"
#include "ops/common.h"

namespace mxlite {
namespace ops {
namespace {

struct CtcParams {
  int64_t blank = 0;
  std::vector<int64_t> data_lengths;         // one per sequence
  std::vector<std::vector<int64_t>> labels;  // without padding
};

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double log_add(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::abs(a - b)));
}

// inputs data (T, N, C); outputs loss (N,) and the gradient (T, N, C).
void ctc_kernel(const Attrs& attrs, Span<NDArray> in, ArrayList& out) {
  const CtcParams& p = attrs.params<CtcParams>();
  const int64_t batch = in[0].shape()[1], classes = in[0].shape()[2];
  MXLITE_FLOAT_SWITCH(in[0].dtype(), T, "CTCLoss", {
    const T* x = in[0].data<T>();
    T* loss = out[0].data<T>();
    T* grad = out[1].data<T>();
    std::fill(grad, grad + out[1].size(), T(0));
    kernels::for_range(batch, 1, [&](int64_t b0, int64_t b1) {
      std::vector<double> logp, alpha, beta;
      for (int64_t n = b0; n < b1; ++n) {
        const int64_t len = p.data_lengths[n];
        const std::vector<int64_t>& label = p.labels[n];
        const int64_t s_len = 2 * static_cast<int64_t>(label.size()) + 1;
        auto symbol = [&](int64_t s) { return s % 2 == 0 ? p.blank : label[s / 2]; };
        auto at = [&](int64_t t, int64_t c) { return x[(t * batch + n) * classes + c]; };
        // log-softmax of each step
        logp.assign(static_cast<size_t>(len * classes), 0.0);
        for (int64_t t = 0; t < len; ++t) {
          double m = kNegInf;
          for (int64_t c = 0; c < classes; ++c) m = std::max(m, double(at(t, c)));
          double z = 0;
          for (int64_t c = 0; c < classes; ++c) z += std::exp(double(at(t, c)) - m);
          const double lz = m + std::log(z);
          for (int64_t c = 0; c < classes; ++c) logp[t * classes + c] = double(at(t, c)) - lz;
        }
        alpha.assign(static_cast<size_t>(len * s_len), kNegInf);
        beta.assign(static_cast<size_t>(len * s_len), kNegInf);
        if (len > 0) {
          alpha[0] = logp[symbol(0)];
          if (s_len > 1) alpha[1] = logp[symbol(1)];
        }
        for (int64_t t = 1; t < len; ++t)
          for (int64_t s = 0; s < s_len; ++s) {
            double a = alpha[(t - 1) * s_len + s];
            if (s >= 1) a = log_add(a, alpha[(t - 1) * s_len + s - 1]);
            if (s >= 2 && symbol(s) != p.blank && symbol(s) != symbol(s - 2))
              a = log_add(a, alpha[(t - 1) * s_len + s - 2]);
            alpha[t * s_len + s] = a == kNegInf ? kNegInf : a + logp[t * classes + symbol(s)];
          }
        if (len > 0) {
          beta[(len - 1) * s_len + s_len - 1] = logp[(len - 1) * classes + symbol(s_len - 1)];
          if (s_len > 1) beta[(len - 1) * s_len + s_len - 2] = logp[(len - 1) * classes + symbol(s_len - 2)];
        }
        for (int64_t t = len - 2; t >= 0; --t)
          for (int64_t s = 0; s < s_len; ++s) {
            double v = beta[(t + 1) * s_len + s];
            if (s + 1 < s_len) v = log_add(v, beta[(t + 1) * s_len + s + 1]);
            if (s + 2 < s_len && symbol(s) != p.blank && symbol(s) != symbol(s + 2))
              v = log_add(v, beta[(t + 1) * s_len + s + 2]);
            beta[t * s_len + s] = v == kNegInf ? kNegInf : v + logp[t * classes + symbol(s)];
          }
        double log_like = kNegInf;
        if (len > 0) {
          log_like = alpha[(len - 1) * s_len + s_len - 1];
          if (s_len > 1) log_like = log_add(log_like, alpha[(len - 1) * s_len + s_len - 2]);
        }
        loss[n] = static_cast<T>(-log_like);
        if (log_like == kNegInf) continue;  // no alignment: infinite loss, no gradient
        std::vector<double> posterior(static_cast<size_t>(classes));
        for (int64_t t = 0; t < len; ++t) {
          std::fill(posterior.begin(), posterior.end(), kNegInf);
          for (int64_t s = 0; s < s_len; ++s) {
            const int64_t c = symbol(s);
            posterior[c] = log_add(posterior[c], alpha[t * s_len + s] + beta[t * s_len + s]);
          }
          for (int64_t c = 0; c < classes; ++c) {
            const double lp = logp[t * classes + c];
            const double post = posterior[c] == kNegInf ? 0.0 : std::exp(posterior[c] - log_like - lp);
            grad[(t * batch + n) * classes + c] = static_cast<T>(std::exp(lp) - post);
          }
        }
      }
    });
  });
}

const OpDef* ctc_op = nullptr;

}  // namespace

void register_ctc_ops() {
  ctc_op = &register_op("ctc_loss")
                .save_outputs({1})
                .set_infer([](const Attrs&, Span<NDArray> in, MetaList& out) {
                  out.push_back(TensorMeta{Shape{in[0].shape()[1]}, in[0].dtype()});
                  out.push_back(TensorMeta{in[0].shape(), in[0].dtype()});
                })
                .set_kernel(ctc_kernel)
                .set_grad([](const GradCtx& g) -> ArrayList {
                  // The saved gradient is a constant here: CTC is differentiable once.
                  const NDArray& d = g.output(1);
                  const NDArray& dy = g.ograd(0);
                  return {d.detach() * np::reshape(dy, Shape{1, dy.size(), 1})};
                });
}

}  // namespace ops

namespace np {

NDArray ctc_loss(const NDArray& data, const NDArray& label, const NDArray& data_lengths, const NDArray& label_lengths,
                 bool blank_first) {
  const char* name = "CTCLoss";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 3, name, "data must be (sequence_length, batch, alphabet_size), got shape ",
               data.shape());
  const int64_t steps = data.shape()[0], batch = data.shape()[1], classes = data.shape()[2];
  MXLITE_CHECK(classes >= 2, name, "the alphabet (axis 2 of data of shape ", data.shape(),
               ") needs the blank and at least one label");
  MXLITE_CHECK(label.ndim() == 2 && label.shape()[0] == batch, name, "label of shape ", label.shape(),
               " must be (batch, max_label_length) with batch ", batch);
  ops::CtcParams p;
  p.blank = blank_first ? 0 : classes - 1;
  // Host copies of the integer inputs: they steer the recursion.
  auto host = [](const NDArray& a) {
    NDArray h = a.dtype() == DType::Float64 ? a : astype(a, DType::Float64);
    const double* v = h.data<double>();
    return std::vector<double>(v, v + h.size());
  };
  const std::vector<double> labels = host(label);
  const int64_t width = label.shape()[1];
  std::vector<double> dlen, llen;
  if (data_lengths.defined()) {
    MXLITE_CHECK(data_lengths.ndim() == 1 && data_lengths.size() == batch, name, "data_lengths of shape ",
                 data_lengths.shape(), " must have shape (", batch, ",)");
    dlen = host(data_lengths);
  }
  if (label_lengths.defined()) {
    MXLITE_CHECK(label_lengths.ndim() == 1 && label_lengths.size() == batch, name, "label_lengths of shape ",
                 label_lengths.shape(), " must have shape (", batch, ",)");
    llen = host(label_lengths);
  }
  const int64_t padding = blank_first ? 0 : -1;
  for (int64_t n = 0; n < batch; ++n) {
    const int64_t len = dlen.empty() ? steps : static_cast<int64_t>(dlen[n]);
    MXLITE_CHECK(len >= 0 && len <= steps, name, "data_lengths[", n, "] = ", len, " is outside [0, ", steps, "]");
    p.data_lengths.push_back(len);
    std::vector<int64_t> seq;
    const int64_t limit = llen.empty() ? width : static_cast<int64_t>(llen[n]);
    MXLITE_CHECK(limit >= 0 && limit <= width, name, "label_lengths[", n, "] = ", limit, " is outside [0, ", width,
                 "]");
    for (int64_t j = 0; j < limit; ++j) {
      const int64_t c = static_cast<int64_t>(labels[n * width + j]);
      if (llen.empty() && c == padding) break;  // padding ends the sequence
      MXLITE_CHECK(c >= 0 && c < classes && c != p.blank, name, "label[", n, ", ", j, "] = ", c,
                   " is not a label of the ", classes, "-symbol alphabet with blank ", p.blank,
                   blank_first ? " (blank_label='first': labels are 1 .. alphabet_size-1, padding 0)"
                               : " (blank_label='last': labels are 0 .. alphabet_size-2, padding -1)");
      seq.push_back(c);
    }
    p.labels.push_back(std::move(seq));
  }
  Attrs attrs;
  attrs.set_params(std::move(p));
  ArrayList outs = invoke(ops::registered(ops::ctc_op), {data}, attrs);
  return outs[0];
}

}  // namespace np
}  // namespace mxlite
