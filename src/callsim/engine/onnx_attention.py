"""One fused attention node per layer of a BERT encoder exported to ONNX (all-MiniLM-L6-v2 here).

The export spells each layer's self-attention as some forty small nodes: three projections, reshapes,
transposes, a mask built from `attention_mask` (Range, GatherND, Where, IsNaN...), softmax and the
context product. For a caller's turn (one sentence of about fifteen tokens) those nodes cost more in
bookkeeping than in arithmetic. onnxruntime's `Attention` operator (com.microsoft) does the same in one
kernel from one packed query/key/value projection, and `quantize_dynamic` turns it into `QAttention`.
Sentences are embedded one at a time, never padded, so no mask is needed: every token attends to every
token, as the export does for an all-ones mask. The float graph this gives computes the same vectors as
the export's (measured: cosine 1.0 on the benchmark sentences).

Layers are found by the names of their bias initializers (`...layer.N.attention.self.query.bias`, as
the sentence-transformers export names them); a graph without them is left as it is (`fuse` returns 0).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_PARTS = ("query", "key", "value")


def fuse(source: Path, target: Path, num_heads: int) -> int:
    """Write `source` to `target` with each layer's self-attention as one `Attention` node, and the nodes and
    inputs no output needs any more (the attention mask) removed. Returns how many layers were fused."""
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
    _keep_needed(model, nodes)
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
