// mxnet.autograd in C++: flags, backward/grad, mark_variables and the node
// that runs a Python autograd.Function's backward.
#include <pybind11/stl.h>

#include "convert.h"
#include "mxlite/ops.h"

namespace mxlite {
namespace bind {
namespace {

std::vector<NDArray> arrays_of(py::handle seq, const char* what, bool allow_none = false) {
  std::vector<NDArray> out;
  auto one = [&](py::handle h) {
    if (allow_none && h.is_none()) {
      out.push_back(NDArray());
      return;
    }
    const NDArray* a = as_array(h);
    if (!a) throw Error(what, "expected an ndarray, got " + py::repr(py::type::of(h)).cast<std::string>());
    out.push_back(*a);
  };
  if (as_array(seq) || seq.is_none()) {
    one(seq);
  } else {
    for (py::handle h : seq) one(h);
  }
  return out;
}

Face face_of(py::handle seq) {
  py::handle first = seq;
  if (!as_array(seq) && py::len(seq) > 0) first = seq[py::int_(0)];
  return Py_TYPE(first.ptr()) == nd_type ? Face::Nd : Face::Np;
}

bool interpreter_alive() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsInitialized() && !Py_IsFinalizing();
#else
  return Py_IsInitialized() && !_Py_IsFinalizing();
#endif
}

// Owns a Python callable on behalf of the engine, which may drop it on any
// thread: the reference is released with the GIL held, and leaked on purpose
// once the interpreter is shutting down (where touching it would crash).
struct PyCallable {
  py::object fn;
  explicit PyCallable(py::object f) : fn(std::move(f)) {}
  ~PyCallable() {
    if (interpreter_alive()) {
      py::gil_scoped_acquire gil;
      fn = py::object();
    } else {
      fn.release();
    }
  }
};

}  // namespace

void bind_autograd(py::module_& m) {
  m.def("is_recording", &autograd::is_recording);
  m.def("is_training", &autograd::is_training);
  m.def("set_recording", &autograd::set_recording);
  m.def("set_training", &autograd::set_training);

  m.def(
      "backward",
      [](py::handle heads, py::handle head_grads, bool retain_graph, bool train_mode) {
        std::vector<NDArray> hs = arrays_of(heads, "backward");
        std::vector<NDArray> gs;
        if (!head_grads.is_none()) gs = arrays_of(head_grads, "backward", true);
        py::gil_scoped_release release;
        autograd::backward(hs, gs, retain_graph, train_mode);
      },
      py::arg("heads"), py::arg("head_grads") = py::none(), py::arg("retain_graph") = false,
      py::arg("train_mode") = true);

  m.def(
      "grad",
      [](py::handle heads, py::handle variables, py::handle head_grads, py::handle retain_graph, bool create_graph,
         bool train_mode) {
        std::vector<NDArray> hs = arrays_of(heads, "grad");
        std::vector<NDArray> vs = arrays_of(variables, "grad");
        std::vector<NDArray> gs;
        if (!head_grads.is_none()) gs = arrays_of(head_grads, "grad", true);
        int retain = retain_graph.is_none() ? -1 : (retain_graph.cast<bool>() ? 1 : 0);
        std::vector<NDArray> result;
        {
          py::gil_scoped_release release;
          result = autograd::grad(hs, vs, gs, create_graph, retain, train_mode);
        }
        Face face = face_of(variables);
        py::list out;
        for (auto& r : result) out.append(wrap(r, face));
        return out;
      },
      py::arg("heads"), py::arg("variables"), py::arg("head_grads") = py::none(), py::arg("retain_graph") = py::none(),
      py::arg("create_graph") = false, py::arg("train_mode") = true);

  m.def(
      "mark_variables",
      [](py::handle variables, py::handle gradients, py::handle grad_reqs) {
        std::vector<NDArray> vs = arrays_of(variables, "mark_variables");
        std::vector<NDArray> gs = arrays_of(gradients, "mark_variables");
        std::vector<GradReq> reqs;
        if (py::isinstance<py::str>(grad_reqs)) {
          reqs.push_back(grad_req_from(grad_reqs.cast<std::string>()));
        } else {
          for (py::handle r : grad_reqs) reqs.push_back(grad_req_from(r.cast<std::string>()));
        }
        autograd::mark_variables(vs, gs, reqs);
      },
      py::arg("variables"), py::arg("gradients"), py::arg("grad_reqs") = "write");

  // fn() is called (GIL taken) as soon as a backward has written var's
  // gradient buffer; None removes it. An exception from fn fails the backward.
  m.def(
      "_set_grad_hook",
      [](py::handle var, py::object fn) {
        const NDArray* a = as_array(var);
        if (!a) throw py::type_error("_set_grad_hook: expected an ndarray");
        if (fn.is_none()) {
          autograd::set_grad_hook(*a, nullptr);
          return;
        }
        auto callable = std::make_shared<PyCallable>(std::move(fn));
        autograd::set_grad_hook(*a, [callable]() {
          py::gil_scoped_acquire gil;
          try {
            callable->fn();
          } catch (py::error_already_set& e) {
            throw Error("backward", std::string("a gradient hook raised: ") + e.what());
          }
        });
      },
      py::arg("var"), py::arg("fn"));

  // Connects the outputs of a Python Function's forward to its inputs; the
  // node calls `backward(*output_grads)` and expects one array per input.
  m.def(
      "record_custom",
      [](const std::string& name, py::handle inputs, py::handle outputs, py::object backward,
         bool differentiable_backward) {
        std::vector<NDArray> ins = arrays_of(inputs, name.c_str());
        std::vector<NDArray> outs = arrays_of(outputs, name.c_str());
        Face face = face_of(outputs);
        auto callable = std::make_shared<PyCallable>(std::move(backward));
        autograd::CustomBackward cb = [callable, face, name](const std::vector<NDArray>& ograds) {
          py::gil_scoped_acquire gil;
          py::tuple args(ograds.size());
          for (size_t i = 0; i < ograds.size(); ++i) args[i] = wrap(ograds[i], face);
          py::object r = callable->fn(*args);
          std::vector<NDArray> grads;
          auto one = [&](py::handle h) {
            const NDArray* a = as_array(h);
            if (!a)
              throw Error(name, "backward must return ndarrays, got " + py::repr(py::type::of(h)).cast<std::string>());
            grads.push_back(*a);
          };
          if (as_array(r)) {
            one(r);
          } else if (py::isinstance<py::tuple>(r) || py::isinstance<py::list>(r)) {
            for (py::handle h : r) one(h);
          } else {
            one(r);
          }
          return grads;
        };
        std::vector<NDArray> recorded =
            autograd::record_custom(name, ins, outs, std::move(cb), differentiable_backward);
        py::list result;
        for (auto& a : recorded) result.append(wrap(a, face));
        return result;
      },
      py::arg("name"), py::arg("inputs"), py::arg("outputs"), py::arg("backward"),
      py::arg("differentiable_backward") = true);

  m.def(
      "stop_gradient",
      [](py::handle data) {
        if (data.is_none()) throw py::type_error("stop_gradient: expected an array, got None");
        const NDArray* a = as_array(data);
        NDArray x = a ? *a : array_arg(data, "stop_gradient");
        return wrap(np::stop_gradient(x), a && Py_TYPE(data.ptr()) == nd_type ? Face::Nd : Face::Np);
      },
      py::arg("data"));

  // Anomaly mode. The trace provider is a Python callable returning a short
  // stack text; the engine calls it (on any thread) when it records a node
  // while anomaly mode is on.
  m.def("_parallel_waves_run", &autograd::parallel_waves_run);
  m.def("is_anomaly_mode", &autograd::anomaly_mode);
  m.def("set_anomaly_mode", &autograd::set_anomaly_mode);
  m.def("set_trace_provider", [](py::object fn) {
    if (fn.is_none()) {
      autograd::set_trace_provider(nullptr);
      return;
    }
    auto callable = std::make_shared<PyCallable>(std::move(fn));
    autograd::set_trace_provider([callable]() -> std::string {
      if (!interpreter_alive()) return std::string();
      py::gil_scoped_acquire gil;
      try {
        return callable->fn().cast<std::string>();
      } catch (py::error_already_set&) {
        return std::string("(the trace provider raised)");
      }
    });
  });

  // The recorded graph of some arrays (get_symbol): nodes as dicts, and DOT.
  m.def("describe_graph", [](py::handle heads) {
    std::vector<NDArray> hs = arrays_of(heads, "get_symbol");
    autograd::GraphDescription g = autograd::describe_graph(hs);
    py::list nodes;
    for (const autograd::GraphNode& n : g.nodes) {
      py::dict d;
      d["id"] = n.id;
      d["name"] = n.name;
      d["kind"] = n.kind;
      d["sequence_nr"] = n.sequence_nr;
      py::list outs;
      for (const TensorMeta& m : n.outputs)
        outs.append(py::make_tuple(shape_to_py(m.shape), std::string(dtype_name(m.dtype))));
      d["outputs"] = outs;
      py::list ins;
      for (const auto& in : n.inputs) ins.append(py::make_tuple(in.node, in.output));
      d["inputs"] = ins;
      d["released"] = n.released;
      d["trace"] = n.trace;
      nodes.append(d);
    }
    py::list head_list;
    for (const auto& h : g.heads) head_list.append(py::make_tuple(h.first, h.second));
    return py::make_tuple(nodes, head_list, g.to_dot());
  });
}

}  // namespace bind
}  // namespace mxlite
