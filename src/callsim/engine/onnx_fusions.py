"""Fewer, larger nodes for a BERT encoder exported to ONNX (all-MiniLM-L6-v2 here): one attention node per
layer, one GELU per feed-forward block.

The export spells each layer's self-attention as some forty small nodes: three projections, reshapes,
transposes, a mask built from `attention_mask` (Range, GatherND, Where, IsNaN...), softmax and the
context product. For a caller's turn (one sentence of about fifteen tokens) those nodes cost more in
bookkeeping than in arithmetic. onnxruntime's `Attention` operator (com.microsoft) does the same in one
kernel from one packed query/key/value projection, and `quantize_dynamic` turns it into `QAttention`.
Sentences are embedded one at a time, never padded, so no mask is needed: every token attends to every
token, as the export does for an all-ones mask. The float graph this gives computes the same vectors as
the export's (measured: cosine 1.0 on the benchmark sentences).

The export also spells GELU as x * (0.5 * (1 + erf(x / sqrt 2))), five nodes in an order onnxruntime's
own GELU fusion does not recognise; `Gelu` (com.microsoft) computes the same in one.

Layers are found by the names of their bias initializers (`...layer.N.attention.self.query.bias`, as
the sentence-transformers export names them); a graph without them is left as it is (`fuse` returns 0).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_PARTS = ("query", "key", "value")


def fuse(source: Path, target: Path, num_heads: int) -> int:
    """Write `source` to `target` with each layer's self-attention as one `Attention` node, each GELU as one
    `Gelu` node, and the nodes and inputs no output needs any more (the attention mask) removed. Returns how
    many layers' attention was fused."""
    import onnx

    model = onnx.load(str(source))
    graph = model.graph
    weights = {initializer.name: initializer for initializer in graph.initializer}
    made = {o: node for node in graph.node for o in node.output}
    prefixes = sorted(name[: -len("query.bias")] for name in weights if name.endswith("attention.self.query.bias"))
    before: dict[str, Any] = {}
    for layer, prefix in enumerate(prefixes):
        fused = _layer(graph, weights, made, prefix, layer, num_heads)
        if fused is None:
            return 0
        before[fused[0]] = fused[1]
    if not before:
        return 0
    nodes = []
    for node in graph.node:
        if node.name in before:
            nodes.append(before[node.name])  # just before the output projection that reads its context
        nodes.append(node)
    _keep_needed(model, _gelus(nodes, weights))
    if not any(opset.domain == "com.microsoft" for opset in model.opset_import):
        model.opset_import.append(onnx.helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(target))
    return len(before)


def _layer(graph: Any, weights: dict[str, Any], made: dict[str, Any], prefix: str, layer: int,
           num_heads: int) -> tuple[str, Any] | None:
    """The Attention node of one layer and the name of the node it goes before (the output projection, whose
    input it becomes); None when the layer is not shaped as expected."""
    import numpy as np
    from onnx import helper, numpy_helper

    source, packed, biases = None, [], []
    for part in _PARTS:
        bias = f"{prefix}{part}.bias"
        projection = _matmul_before(graph, made, bias)
        if projection is None or projection.input[1] not in weights:
            return None
        if source not in (None, projection.input[0]):
            return None
        source = projection.input[0]
        packed.append(numpy_helper.to_array(weights[projection.input[1]]))
        biases.append(numpy_helper.to_array(weights[bias]))
    output = _matmul_before(graph, made, prefix.replace("attention.self.", "attention.output.dense.bias"))
    if output is None or source is None:
        return None
    weight, bias = f"packed_qkv_weight_{layer}", f"packed_qkv_bias_{layer}"
    graph.initializer.extend([numpy_helper.from_array(np.concatenate(packed, axis=1).astype(np.float32), weight),
                              numpy_helper.from_array(np.concatenate(biases).astype(np.float32), bias)])
    context = f"attention_context_{layer}"
    node = helper.make_node("Attention", [source, weight, bias], [context], name=f"Attention_{layer}",
                            domain="com.microsoft", num_heads=num_heads)
    output.input[0] = context
    return output.name, node


def _matmul_before(graph: Any, made: dict[str, Any], bias: str) -> Any:
    """The MatMul whose result the Add of `bias` adds to."""
    for node in graph.node:
        if node.op_type == "Add" and bias in node.input:
            other = made.get(next((name for name in node.input if name != bias), ""))
            return other if other is not None and other.op_type == "MatMul" else None
    return None


def _gelus(nodes: list[Any], weights: dict[str, Any]) -> list[Any]:
    """The nodes with each x * (0.5 * (1 + erf(x / sqrt 2))) replaced by one `Gelu` node in place of its last Mul
    (the five nodes it replaces are left for `_keep_needed` to drop)."""
    from onnx import helper, numpy_helper

    made = {output: node for node in nodes for output in node.output}
    readers: dict[str, list[Any]] = {}
    for node in nodes:
        for name in node.input:
            readers.setdefault(name, []).append(node)

    def constant(node: Any, value: float) -> str | None:
        """The input of a two-input node that is not the constant `value`, or None when neither is."""
        for i, name in enumerate(node.input):
            if name in weights and numpy_helper.to_array(weights[name]).size == 1 and \
                    abs(float(numpy_helper.to_array(weights[name]).ravel()[0]) - value) < 1e-6:
                return node.input[1 - i]
        return None

    def only_reader(node: Any, op_type: str) -> Any:
        following = readers.get(node.output[0], [])
        return following[0] if len(following) == 1 and following[0].op_type == op_type else None

    replaced: dict[str, Any] = {}
    for erf in (node for node in nodes if node.op_type == "Erf"):
        divide = made.get(erf.input[0])
        if divide is None or divide.op_type != "Div" or divide.input[1] not in weights:
            continue
        if abs(float(numpy_helper.to_array(weights[divide.input[1]]).ravel()[0]) - 2 ** 0.5) > 1e-6:
            continue
        x = divide.input[0]
        add = only_reader(erf, "Add")
        half = only_reader(add, "Mul") if add is not None and constant(add, 1.0) == erf.output[0] else None
        last = only_reader(half, "Mul") if half is not None and constant(half, 0.5) == add.output[0] else None
        if last is None or sorted(last.input) != sorted([x, half.output[0]]):
            continue
        replaced[last.name] = helper.make_node("Gelu", [x], [last.output[0]], name=f"{last.name}_gelu",
                                               domain="com.microsoft")
    return [replaced.get(node.name, node) for node in nodes]


def _keep_needed(model: Any, nodes: list[Any]) -> None:
    """Keep the nodes, initializers and inputs that the graph's outputs depend on, in order."""
    graph = model.graph
    needed = {output.name for output in graph.output}
    kept = []
    for node in reversed(nodes):
        if any(name in needed for name in node.output):
            kept.append(node)
            needed.update(name for name in node.input if name)
    kept.reverse()
    del graph.node[:]
    graph.node.extend(kept)
    initializers = [initializer for initializer in graph.initializer if initializer.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    inputs = [graph_input for graph_input in graph.input if graph_input.name in needed]
    del graph.input[:]
    graph.input.extend(inputs)
