package org.peopleseg.models.maskrcnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a torchvision Mask R-CNN state_dict against the configured architecture and adapts it: old key names
 * (torchvision before 0.13, e.g. the published {@code maskrcnn_resnet50_fpn_coco-bf2d0c1e.pth}) are renamed, batch
 * norm counters dropped, and a COCO checkpoint can be cut down to chosen classes (PeopleSegNet's background +
 * person). Every problem is collected, so a wrong file is reported whole.
 */
public final class StateDictImport {
    private StateDictImport() {}

    /** A checkpoint that does not fit: each list names tensors with their shapes. */
    public static final class MismatchException extends Exception {
        private final List<String> problems;

        MismatchException(List<String> problems) {
            super(problems.size() + " problem(s) with the weights:\n  " + String.join("\n  ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /**
     * @param stateDict  tensors by name as read from the checkpoint
     * @param keepClasses class indices to keep, in order (0 = background must come first), or null to keep all
     * @return tensors by the current torchvision names, exactly those {@link WeightLayout#expected} lists
     */
    public static Map<String, WeightTensor> adapt(MaskRcnnConfig config, Map<String, WeightTensor> stateDict,
                                                  int[] keepClasses) throws MismatchException {
        Map<String, WeightTensor> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, WeightTensor> e : stateDict.entrySet()) {
            if (e.getKey().endsWith("num_batches_tracked")) {
                continue;
            }
            renamed.put(modernName(e.getKey()), e.getValue());
        }
        Map<String, WeightTensor> adapted = keepClasses == null ? renamed : cutClasses(renamed, keepClasses);
        Map<String, long[]> expected = WeightLayout.expected(config);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            WeightTensor t = adapted.get(e.getKey());
            if (t == null) {
                problems.add("missing: " + e.getKey() + " " + Arrays.toString(e.getValue()));
            } else if (!Arrays.equals(t.shape(), e.getValue())) {
                problems.add("wrong shape: " + e.getKey() + " is " + t.shapeString() + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        for (Map.Entry<String, WeightTensor> e : adapted.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                problems.add("unexpected: " + e.getKey() + " " + e.getValue().shapeString());
            }
        }
        if (!problems.isEmpty()) {
            throw new MismatchException(problems);
        }
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        expected.keySet().forEach(k -> out.put(k, adapted.get(k)));
        return out;
    }

    /** torchvision 0.13 wrapped FPN, RPN and mask-head convolutions in Conv2dNormActivation: "x.weight" -> "x.0.weight". */
    static String modernName(String key) {
        String k = key.replaceFirst("^backbone\\.fpn\\.(inner_blocks|layer_blocks)\\.(\\d+)\\.(weight|bias)$",
                "backbone.fpn.$1.$2.0.$3");
        k = k.replaceFirst("^rpn\\.head\\.conv\\.(weight|bias)$", "rpn.head.conv.0.0.$1");
        var m = java.util.regex.Pattern.compile("^roi_heads\\.mask_head\\.mask_fcn(\\d+)\\.(weight|bias)$").matcher(k);
        if (m.matches()) {
            k = "roi_heads.mask_head." + (Integer.parseInt(m.group(1)) - 1) + ".0." + m.group(2);
        }
        return k;
    }

    /** Keeps the rows of the class-indexed predictor tensors for the chosen classes. */
    static Map<String, WeightTensor> cutClasses(Map<String, WeightTensor> sd, int[] keep) {
        Map<String, WeightTensor> out = new LinkedHashMap<>(sd);
        cut(out, "roi_heads.box_predictor.cls_score.weight", keep, 1);
        cut(out, "roi_heads.box_predictor.cls_score.bias", keep, 1);
        cut(out, "roi_heads.box_predictor.bbox_pred.weight", keep, 4);
        cut(out, "roi_heads.box_predictor.bbox_pred.bias", keep, 4);
        cut(out, "roi_heads.mask_predictor.mask_fcn_logits.weight", keep, 1);
        cut(out, "roi_heads.mask_predictor.mask_fcn_logits.bias", keep, 1);
        return out;
    }

    private static void cut(Map<String, WeightTensor> sd, String name, int[] keep, int rowsPerClass) {
        WeightTensor t = sd.get(name);
        if (t == null) {
            return;
        }
        long classes = t.shape()[0] / rowsPerClass;
        int row = t.values().length / (int) t.shape()[0];
        float[] v = new float[keep.length * rowsPerClass * row];
        for (int i = 0; i < keep.length; i++) {
            if (keep[i] < 0 || keep[i] >= classes) {
                throw new IllegalArgumentException(name + " has " + classes + " classes; cannot keep class " + keep[i]);
            }
            System.arraycopy(t.values(), keep[i] * rowsPerClass * row, v, i * rowsPerClass * row, rowsPerClass * row);
        }
        long[] shape = t.shape().clone();
        shape[0] = (long) keep.length * rowsPerClass;
        sd.put(name, new WeightTensor(shape, v));
    }
}
