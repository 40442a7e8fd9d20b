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
          "describe",
          [](const PyGraph& g) {
            // What export writes: metas, steps (kind, op, attrs, input refs,
            // out ref, number of outputs), output refs, constants, faces.
            const CachedGraph& cg = *g.graph;
            auto metas = [](const std::vector<TensorMeta>& ms) {
              py::list out;
              for (const auto& m : ms)
                out.append(py::make_tuple(py::tuple(py::cast(std::vector<int64_t>(m.shape.begin(), m.shape.end()))),
                                          dtype_name(m.dtype)));
              return out;
            };
            py::list steps;
            for (const auto& st : cg.steps()) {
              AttrList attrs;
              if (st.kind == CachedGraph::Step::Op) {
                attrs = encode_attrs(*st.op, st.attrs);
              } else if (st.kind == CachedGraph::Step::View) {
                attrs = {{"shape", ints_text(st.attrs.shape.data(), st.attrs.shape.size())}};
              } else if (st.kind == CachedGraph::Step::Slice) {
                attrs = {{"begin", std::to_string(st.attrs.index)}, {"end", std::to_string(st.attrs.axis)}};
              } else if (st.kind == CachedGraph::Step::Fill) {
                attrs = {{"value", real_text(st.attrs.scalar)}};
              } else if (st.kind == CachedGraph::Step::Call) {
                throw Error("export",
                            "the forward assigns to part of an array (x[...] = v); such a graph cannot "
                            "be exported yet");
              }
              py::list ins;
              for (const auto& r : st.inputs) ins.append(ref_to_py(r));
              steps.append(py::make_tuple(step_kind_name(st.kind),
                                          st.op ? py::object(py::str(st.op->name)) : py::none(), py::cast(attrs), ins,
                                          st.has_out ? py::object(ref_to_py(st.out)) : py::none(), st.num_outputs));
            }
            py::list outs, faces, constants;
            for (const auto& r : cg.outputs()) outs.append(ref_to_py(r));
            for (Face f : g.faces) faces.append(f == Face::Np ? "np" : "nd");
            for (const NDArray& c : cg.constants()) constants.append(wrap(c, Face::Nd));
            py::dict d;
            d["inputs"] = metas(cg.input_meta());
            d["params"] = metas(cg.param_meta());
            d["steps"] = steps;
            d["outputs"] = outs;
            d["faces"] = faces;
            d["constants"] = constants;
            return d;
          },
          "The graph as plain data (what HybridBlock.export writes).")
      .def_static(
          "assemble",
          [](const py::dict& d) {
            auto metas = [](py::handle list) {
              std::vector<TensorMeta> out;
              for (py::handle m : list) {
                py::tuple t = py::reinterpret_borrow<py::tuple>(m);
                TensorMeta meta;
                for (py::handle v : t[0]) meta.shape.push_back(v.cast<int64_t>());
                meta.dtype = dtype_from_name(t[1].cast<std::string>());
                out.push_back(meta);
              }
              return out;
            };
            auto ref = [](py::handle h) {
              py::tuple t = py::reinterpret_borrow<py::tuple>(h);
              const std::string kind = t[0].cast<std::string>();
              CachedGraph::Ref r;
              if (kind == "input")
                r.kind = CachedGraph::Ref::Input;
              else if (kind == "param")
                r.kind = CachedGraph::Ref::Param;
              else if (kind == "const")
                r.kind = CachedGraph::Ref::Const;
              else if (kind == "step")
                r.kind = CachedGraph::Ref::Step;
              else
                throw Error("SymbolBlock", "unknown reference kind '" + kind + "'");
              r.index = t[1].cast<uint32_t>();
              r.output = t[2].cast<uint32_t>();
              return r;
            };
            std::vector<CachedGraph::Step> steps;
            for (py::handle h : d["steps"]) {
              py::tuple t = py::reinterpret_borrow<py::tuple>(h);
              CachedGraph::Step st;
              const std::string kind = t[0].cast<std::string>();
              const AttrList attrs = t[2].cast<AttrList>();
              if (kind == "op") {
                st.kind = CachedGraph::Step::Op;
                st.op = &op(t[1].cast<std::string>());
                st.attrs = decode_attrs(*st.op, attrs);
              } else if (kind == "view") {
                st.kind = CachedGraph::Step::View;
                for (int64_t v : parse_ints(attr_value(attrs, "shape", "view"), "view")) st.attrs.shape.push_back(v);
              } else if (kind == "slice") {
                st.kind = CachedGraph::Step::Slice;
                st.attrs.index = parse_ints("(" + attr_value(attrs, "begin", "slice") + ")", "slice").at(0);
                st.attrs.axis = parse_ints("(" + attr_value(attrs, "end", "slice") + ")", "slice").at(0);
              } else if (kind == "detach") {
                st.kind = CachedGraph::Step::Detach;
              } else if (kind == "copy") {
                st.kind = CachedGraph::Step::Copy;
              } else if (kind == "assign") {
                st.kind = CachedGraph::Step::Assign;
              } else if (kind == "fill") {
                st.kind = CachedGraph::Step::Fill;
                st.attrs.scalar = parse_real(attr_value(attrs, "value", "fill"), "fill");
              } else {
                throw Error("SymbolBlock", "unknown step kind '" + kind + "'");
              }
              for (py::handle r : t[3]) st.inputs.push_back(ref(r));
              if (!t[4].is_none()) {
                st.has_out = true;
                st.out = ref(t[4]);
              }
              st.num_outputs = t[5].cast<uint32_t>();
              steps.push_back(std::move(st));
            }
            std::vector<CachedGraph::Ref> outputs;
            for (py::handle r : d["outputs"]) outputs.push_back(ref(r));
            PyGraph g;
            for (py::handle f : d["faces"]) g.faces.push_back(f.cast<std::string>() == "np" ? Face::Np : Face::Nd);
            MXLITE_CHECK(g.faces.size() == outputs.size(), "SymbolBlock", "the graph lists ", g.faces.size(),
                         " output faces for ", outputs.size(), " outputs");
            g.graph = CachedGraph::assemble(metas(d["inputs"]), metas(d["params"]), std::move(steps),
                                            std::move(outputs), arrays_of(d["constants"], "constant"));
            return g;
          },
          "A graph from the plain data describe() gives.");

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
      "_signature",
      [](const py::sequence& arrays) {
        // What a hybridized block's cache is keyed by: shape, dtype and context of each input.
        py::tuple sig(arrays.size());
        size_t i = 0;
        for (py::handle h : arrays) {
          const NDArray* a = as_array(h);
          if (!a) throw py::type_error("hybridize: inputs must be arrays");
          py::tuple shape(a->ndim());
          for (size_t d = 0; d < a->ndim(); ++d) shape[d] = py::int_(a->shape()[d]);
          sig[i++] = py::make_tuple(shape, static_cast<int>(a->dtype()), a->context().id);
        }
        return sig;
      },
      "The cache key of a hybridized block's inputs.");
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
