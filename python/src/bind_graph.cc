// mxnet._core: graph capture and replay (mxlite/cached_graph.h) for Gluon's
// hybridize(); conversion only.
#include <pybind11/stl.h>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

std::vector<NDArray> arrays_of(const py::sequence& seq, const char* what) {
  std::vector<NDArray> out;
  out.reserve(seq.size());
  for (py::handle h : seq) {
    const NDArray* a = as_array(h);
    if (!a)
      throw py::type_error(std::string("hybridize: every ") + what + " must be an array, got " +
                           py::str(py::type::of(h).attr("__name__")).cast<std::string>());
    out.push_back(*a);
  }
  return out;
}

// A graph and the Python face (np or nd) of each of its outputs.
struct PyGraph {
  std::shared_ptr<CachedGraph> graph;
  std::vector<Face> faces;
};

struct PyPause {
  std::unique_ptr<CapturePause> pause;
};

struct PyCapture {
  std::unique_ptr<GraphCapture> capture;
};

const char* step_kind_name(CachedGraph::Step::Kind k) {
  switch (k) {
    case CachedGraph::Step::Op:
      return "op";
    case CachedGraph::Step::View:
      return "view";
    case CachedGraph::Step::Slice:
      return "slice";
    case CachedGraph::Step::Detach:
      return "detach";
    case CachedGraph::Step::Copy:
      return "copy";
    case CachedGraph::Step::Assign:
      return "assign";
    case CachedGraph::Step::Fill:
      return "fill";
    case CachedGraph::Step::Call:
      return "setitem";
  }
  return "?";
}

py::tuple ref_to_py(const CachedGraph::Ref& r) {
  static const char* kinds[] = {"input", "param", "const", "step"};
  return py::make_tuple(kinds[r.kind], r.index, r.output);
}

}  // namespace

void bind_graph(py::module_& m) {
  py::class_<PyGraph>(m, "CachedGraph", "A captured forward (see HybridBlock.hybridize).")
      .def(
          "run",
          [](const PyGraph& g, const py::sequence& inputs, const py::sequence& params) {
            std::vector<NDArray> in = arrays_of(inputs, "input"), ps = arrays_of(params, "parameter");
            ArrayList out;
            {
              py::gil_scoped_release release;
              out = g.graph->run(in, ps);
            }
            py::list result;
            for (size_t i = 0; i < out.size(); ++i) result.append(wrap(std::move(out[i]), g.faces[i]));
            return result;
          },
          py::arg("inputs"), py::arg("params"))
      .def_property_readonly("num_steps", [](const PyGraph& g) { return g.graph->steps().size(); })
      .def_property_readonly("params_used", [](const PyGraph& g) { return g.graph->params_used(); })
      .def(
          "steps",
          [](const PyGraph& g) {
            // (kind, op name or None, input refs, out ref or None, number of outputs) per step.
            py::list steps;
            for (const auto& s : g.graph->steps()) {
              py::list ins;
              for (const auto& r : s.inputs) ins.append(ref_to_py(r));
              steps.append(py::make_tuple(step_kind_name(s.kind), s.op ? py::object(py::str(s.op->name)) : py::none(),
                                          ins, s.has_out ? py::object(ref_to_py(s.out)) : py::none(), s.num_outputs));
            }
            return steps;
          },
          "The steps as (kind, op, inputs, out, num_outputs); refs are (kind, index, output).")
      .def("outputs", [](const PyGraph& g) {
        py::list outs;
        for (const auto& r : g.graph->outputs()) outs.append(ref_to_py(r));
        return outs;
      });

  py::class_<PyCapture>(m, "GraphCapture",
                        "Captures the ops this thread runs into a CachedGraph: GraphCapture(inputs), then "
                        "finish(outputs, params); close() discards an unfinished capture.")
      .def(py::init([](const py::sequence& inputs) {
             return PyCapture{std::make_unique<GraphCapture>(arrays_of(inputs, "input"))};
           }),
           py::arg("inputs"))
      .def(
          "finish",
          [](PyCapture& c, const py::sequence& outputs, const py::sequence& params) {
            if (!c.capture) throw Error("hybridize", "this capture is closed");
            PyGraph g;
            for (py::handle h : outputs) {
              const PyTypeObject* t = Py_TYPE(h.ptr());
              g.faces.push_back(t == np_type || PyType_IsSubtype(Py_TYPE(h.ptr()), np_type) ? Face::Np : Face::Nd);
            }
            g.graph = c.capture->finish(arrays_of(outputs, "output"), arrays_of(params, "parameter"));
            c.capture.reset();
            return g;
          },
          py::arg("outputs"), py::arg("params"))
      .def("close", [](PyCapture& c) { c.capture.reset(); });

  m.def(
      "_is_traced", [](py::handle h) { return as_array(h) && is_traced(*as_array(h)); },
      "True when the array is a value the open capture traces.");
  m.def("capture_active", &capture_active, "True while a hybridized forward is being captured on this thread.");
  py::class_<PyPause>(m, "CapturePause", "with CapturePause(): the ops inside are not captured.")
      .def(py::init<>())
      .def("__enter__", [](PyPause& p) { p.pause = std::make_unique<CapturePause>(); })
      .def("__exit__", [](PyPause& p, py::args) {
        p.pause.reset();
        return false;
      });
}

}  // namespace bind
}  // namespace mxlite
