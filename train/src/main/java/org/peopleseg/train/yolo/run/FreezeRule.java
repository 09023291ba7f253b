package org.peopleseg.train.yolo.run;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.peopleseg.runtime.onnx.proto.Onnx.NodeProto;
import org.peopleseg.train.yolo.graph.TrainableGraph;
import org.peopleseg.train.yolo.graph.YoloSegHead;

/**
 * Which parameters do not train. Ultralytics freezes layers by index ({@code freeze: N} = model.0 .. model.N-1); the
 * imported graph has no layer names, so the rules are structural:
 * <ul>
 *   <li>{@code backbone}: every conv upstream of the first Resize (YOLOv8/11's head starts with the upsample of the
 *       backbone's last output, so this is exactly layers 0-9/0-10: stem, C2f/C3k2 stages, SPPF, C2PSA);
 *   <li>{@code N}: the first N Conv/ConvTranspose nodes in graph order;
 *   <li>{@code none}.
 * </ul>
 * Without mask ground truth the mask branch (the convs only the coefficients and prototypes depend on) is frozen too,
 * so box-only data trains detection and leaves the mask branch untouched — with AdamW's decoupled decay it would
 * otherwise drift with a zero gradient.
 */
final class FreezeRule {
    private FreezeRule() {}

    static Set<String> frozen(TrainableGraph g, YoloSegHead head, String rule, boolean withMasks) {
        Set<String> out = new LinkedHashSet<>();
        List<NodeProto> nodes = g.nodes();
        String r = rule == null ? "none" : rule.trim().toLowerCase(java.util.Locale.ROOT);
        if (r.equals("backbone")) {
            int firstResize = -1;
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).getOpType().equals("Resize")) {
                    firstResize = i;
                    break;
                }
            }
            if (firstResize < 0) {
                throw new IllegalArgumentException("--freeze backbone: the graph has no upsampling (Resize) node");
            }
            out.addAll(convParams(g, upstream(g, Set.of(nodes.get(firstResize).getInput(0)))));
        } else if (!r.equals("none")) {
            int n;
            try {
                n = Integer.parseInt(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--freeze must be backbone, none or a number of conv layers, not '"
                        + rule + "'");
            }
            int seen = 0;
            for (NodeProto node : nodes) {
                if (seen >= n) {
                    break;
                }
                if (isConv(node)) {
                    seen++;
                    addParams(g, node, out);
                }
            }
        }
        if (!withMasks) {
            Set<Integer> det = upstream(g, Set.of(head.raw()));
            Set<Integer> mask = upstream(g, Set.of(head.coefficients(), head.protos()));
            mask.removeAll(det);
            out.addAll(convParams(g, mask));
        }
        return out;
    }

    private static boolean isConv(NodeProto n) {
        return n.getOpType().equals("Conv") || n.getOpType().equals("ConvTranspose");
    }

    private static Set<String> convParams(TrainableGraph g, Set<Integer> nodeIdx) {
        Set<String> out = new LinkedHashSet<>();
        for (int i : new java.util.TreeSet<>(nodeIdx)) {
            NodeProto n = g.nodes().get(i);
            if (isConv(n)) {
                addParams(g, n, out);
            }
        }
        return out;
    }

    private static void addParams(TrainableGraph g, NodeProto n, Set<String> out) {
        for (int k = 1; k < n.getInputCount(); k++) {
            if (g.parameters().containsKey(n.getInput(k))) {
                out.add(n.getInput(k));
            }
        }
    }

    /** Indices of the nodes the given values depend on. */
    static Set<Integer> upstream(TrainableGraph g, Set<String> values) {
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(values);
        while (!todo.isEmpty()) {
            int p = g.producerOf(todo.pop());
            if (p < 0 || !seen.add(p)) {
                continue;
            }
            for (String s : g.nodes().get(p).getInputList()) {
                if (!s.isEmpty()) {
                    todo.push(s);
                }
            }
        }
        return seen;
    }
}
