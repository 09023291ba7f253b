package org.peopleseg.optimize.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peopleseg.optimize.graph.ActivationQuant;
import org.peopleseg.optimize.graph.QuantLayer;

class LeaveOneOutTest {
    private static QuantLayer layer(String name) {
        return new QuantLayer(name, "Conv", name + "_in", name + "_w", null, name + "_out");
    }

    private static Sensitivity.Row row(String value, String layers) {
        return new Sensitivity.Row(value, layers, ActivationQuant.ofRange(0, 1), 0, 1, 20, 0);
    }

    @Test
    void candidatesFollowTheWorstValuesThenGraphOrderAndSkipNonLayers() {
        List<QuantLayer> layers = List.of(layer("a"), layer("b"), layer("c"), layer("d"));
        // "add1" is an element-wise node, not a layer: it is not a candidate
        List<Sensitivity.Row> worst = List.of(row("v1", "c, add1"), row("v2", "add1"), row("v3", "b, c"));
        assertEquals(List.of("c", "b"), names(LeaveOneOut.candidates(worst, layers, 2)));
        assertEquals(List.of("c", "b", "a", "d"), names(LeaveOneOut.candidates(worst, layers, 0)));
        assertEquals(List.of("c", "b", "a", "d"), names(LeaveOneOut.candidates(worst, layers, 10)));
    }

    @Test
    void rowsAreSortedByTheDropLeftAndRecoveredIsTheDifference() {
        Map<String, Double> drops = Map.of("a", 9.0, "b", 2.5, "c", 11.0);
        List<LeaveOneOut.Row> rows = LeaveOneOut.run(List.of(layer("a"), layer("b"), layer("c")), 10.0,
                l -> new LeaveOneOut.Measured(drops.get(l.node()), 1 - drops.get(l.node()) / 100));
        assertEquals(List.of("b", "a", "c"), rows.stream().map(LeaveOneOut.Row::layer).toList());
        assertEquals(7.5, rows.get(0).recovered(), 1e-12);
        assertEquals(-1.0, rows.get(2).recovered(), 1e-12, "excluding c made it worse");
        String table = LeaveOneOut.table(rows);
        assertTrue(table.contains("1        2.50      +7.50   0.9750  b (Conv)"), table);
        assertTrue(table.contains("3       11.00      -1.00   0.8900  c (Conv)"), table);
    }

    private static List<String> names(List<QuantLayer> layers) {
        return layers.stream().map(QuantLayer::node).toList();
    }
}
